package io.hotsnap.app.restore;

import io.hotsnap.cluster.ClusterEvent;
import io.hotsnap.cluster.RestoreResult;
import io.hotsnap.protocol.EventKind;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The wizard's last page: one row per VM moved along by the restore's events (loading, loaded and
 * paused, the barrier, running; failed or discarded), and a line that ends as the result. FX thread only.
 */
final class RestoreProgress {

    private final ObservableList<VmProgress> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");

    ObservableList<VmProgress> rows() {
        return rows;
    }

    ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    void start(List<VmProgress> vms) {
        rows.setAll(vms);
        summary.set("Loading every VM paused from the snapshot…");
    }

    void accept(ClusterEvent e) {
        if (e.kind() == EventKind.RESTORE && e.vm() == null && "barrier".equals(e.data().path("phase").asText())) {
            rows.forEach(p -> p.phase().set("barrier reached: resuming"));
            summary.set(String.format("Every host loaded its VMs (%.0f ms): resuming them together…", e.data().path("loadMs").asDouble()));
            return;
        }
        Optional<VmProgress> row = rowOf(e);
        if (row.isEmpty()) {
            return;
        }
        VmProgress p = row.get();
        if (e.kind() == EventKind.ERROR) {
            p.phase().set("failed: " + e.data().path("message").asText("failed"));
        } else if (e.kind() == EventKind.RESTORE) {
            switch (e.data().path("phase").asText()) {
                case "loading" -> p.phase().set("loading memory");
                case "loaded" -> {
                    p.phase().set("loaded, paused: waiting for the barrier");
                    p.loadMs().set(String.format("%.0f ms", e.data().path("loadMs").asDouble()));
                }
                case "resumed" -> p.phase().set("running");
                case "discarded" -> p.phase().set("discarded: " + e.data().path("reason").asText());
                default -> { }
            }
        }
    }

    void finished(RestoreResult r) {
        summary.set(String.format("Restored %d VM%s: every host loaded after %.0f ms, resumed together within %.1f ms "
                + "(result kept next to the snapshot as restore-%s.json).", r.vms().size(), r.vms().size() == 1 ? "" : "s",
                r.loadMs(), r.resumeSkewMs(), r.restoreId()));
    }

    /** Rows the events left mid-way say plainly that their VM was not restored. */
    void failed(String reason) {
        summary.set("Restore failed: " + reason);
        rows.stream().filter(p -> !p.phase().get().startsWith("failed") && !p.phase().get().startsWith("discarded")
                && !p.phase().get().equals("running")).forEach(p -> p.phase().set("not restored"));
    }

    /** The row of the event's VM: its host's, or the only one of that name (a host may name itself differently). */
    private Optional<VmProgress> rowOf(ClusterEvent e) {
        List<VmProgress> named = rows.stream().filter(p -> p.as().equals(e.vm())).toList();
        return named.stream().filter(p -> p.host().equals(e.host())).findFirst().or(() -> named.size() == 1 ? Optional.of(named.get(0))
                : Optional.empty());
    }
}
