package io.hotsnap.app.restore;

import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.restore.RestorePhase;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The wizard's last page: one row per VM moved along by the restore's events (loading, loaded and
 * paused, the barrier, running; failed or discarded; then its TCP streams after the resume), and a
 * line that ends as the result. FX thread only.
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
        if (e.vm() == null && Optional.of(RestorePhase.BARRIER).equals(e.restorePhase())) {
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
        } else {
            e.restorePhase().ifPresent(phase -> {
                switch (phase) {
                    case LOADING -> p.phase().set("loading memory");
                    case LOADED -> {
                        p.phase().set("loaded, paused: waiting for the barrier");
                        p.loadMs().set(String.format("%.0f ms", e.data().path("loadMs").asDouble()));
                    }
                    case RESUMED -> p.phase().set("running");
                    case TCP -> p.tcp().set(TcpResumeText.of(p.as(), e.data()));
                    case DISCARDED -> p.phase().set("discarded: " + e.data().path("reason").asText());
                    case BARRIER -> { }
                }
            });
        }
    }

    void finished(RestoreResult r) {
        summary.set(String.format("Restored %d VM%s: every host loaded after %.0f ms, resumed together within %.1f ms%s "
                + "(result kept next to the snapshot as restore-%s.json).", r.vms().size(), r.vms().size() == 1 ? "" : "s",
                r.loadMs(), r.resumeSkewMs(), tcp(r), r.restoreId()));
    }

    /** The streams between the VMs restored in place, in a clause: how soon the slowest flowed again. */
    private static String tcp(RestoreResult r) {
        TcpReport tcp = r.tcp();
        if (tcp == null) {
            return "";
        }
        if (tcp.unavailable() != null) {
            return "; TCP not measured: " + tcp.unavailable();
        }
        double windowS = r.tcpWindowMs() / 1000;
        if (tcp.flows().isEmpty()) {
            return String.format("; no TCP traffic between them seen in %.0f s", windowS);
        }
        long silent = tcp.flows().stream().filter(f -> f.firstDataMs() == null).count();
        double slowest = tcp.flows().stream().filter(f -> f.firstDataMs() != null).mapToDouble(TcpReport.Flow::firstDataMs).max().orElse(0);
        return silent == tcp.flows().size()
                ? String.format("; none of their %d TCP streams carried data in %.0f s", silent, windowS)
                : String.format("; %d of %d TCP streams flowed again within %.0f ms%s", tcp.flows().size() - silent, tcp.flows().size(),
                        slowest, silent == 0 ? "" : String.format(", %d carried no data in %.0f s", silent, windowS));
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
        // The coordinator's own events about a VM (its TCP) name the VM's host in their data.
        String host = ClusterEvent.COORDINATOR.equals(e.host()) ? e.data().path("host").asText() : e.host();
        return named.stream().filter(p -> p.host().equals(host)).findFirst().or(() -> named.size() == 1 ? Optional.of(named.get(0))
                : Optional.empty());
    }
}
