package io.hotsnap.app.dashboard;

import io.hotsnap.coordinator.PhaseFold;
import io.hotsnap.coordinator.VmStage;
import io.hotsnap.coordinator.VmTimeline;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.VmResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the dashboard knows about one snapshot, built from its events (folded per VM by the engine's
 * {@link PhaseFold}) and final result. Plain Java, no JavaFX: the view-model applies batches to it
 * on the FX thread and publishes the outcome.
 * Every time is ms from the first event received, so the log, the timeline and the TCP chart share
 * one axis.
 */
final class DashboardModel {

    static final String WAITING_TEXT = "Waiting for the snapshot's first event";

    /** Names like lab2 before lab10: shorter first, then alphabetical. */
    private static final Comparator<String> NAME_ORDER = Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());
    private static final Comparator<VmTimeline> ROW_ORDER = Comparator.comparing(VmTimeline::host, NAME_ORDER)
            .thenComparing(VmTimeline::vm, NAME_ORDER);

    private final PhaseFold phases = new PhaseFold();
    private Long originMicros;
    private long latestMicros;
    private DashboardState state = DashboardState.RUNNING;
    private String snapshotId;
    private Double commitMs;
    private String failure;
    private ClusterResult result;

    void expect(String host, List<String> vms) {
        phases.expect(host, vms);
    }

    void event(ClusterEvent e) {
        if (originMicros == null) {
            originMicros = e.atMicros();
        }
        latestMicros = Math.max(latestMicros, e.atMicros());
        if (e.kind() == EventKind.COMMITTED) {
            snapshotId = e.data() == null ? null : e.data().path("id").asText(null);
            commitMs = e.data() == null || !e.data().has("commitMs") ? null : e.data().path("commitMs").asDouble();
            commit();
        } else {
            phases.apply(e);
        }
    }

    void finished(ClusterResult r) {
        result = r;
        snapshotId = r.id();
        commitMs = r.commitMs();
        commit();
    }

    void failed(String message) {
        failure = message;
        state = DashboardState.FAILED;
        phases.fail("snapshot aborted");
    }

    private void commit() {
        if (state != DashboardState.FAILED) {
            state = DashboardState.COMMITTED;
            phases.commit();
        }
    }

    /** Where the shared axis starts (coordinator µs); before any event, the result's first snapshot point. */
    long originMicros() {
        if (originMicros != null) {
            return originMicros;
        }
        return result == null ? 0 : result.vms().stream().mapToLong(VmResult::stopAt).min().orElse(0);
    }

    DashboardState state() {
        return state;
    }

    List<VmTimeline> tracks() {
        List<VmTimeline> sorted = phases.vms();
        sorted.sort(ROW_ORDER);
        return sorted;
    }

    /** max − min of the VMs' STOP, ms; NaN before any STOP. */
    double skewMs() {
        return phases.skewMs();
    }

    String statusText() {
        List<VmTimeline> tracks = phases.vms();
        return switch (state) {
            case FAILED -> "Snapshot failed: " + failure;
            case COMMITTED -> String.format("Snapshot %s committed%s — %d VMs, snapshot points within %.2f ms",
                    snapshotId == null ? "" : snapshotId, commitMs == null ? "" : String.format(" in %.0f ms", commitMs),
                    tracks.size(), skewOrZero());
            case RUNNING -> {
                if (tracks.isEmpty()) {
                    yield WAITING_TEXT;
                }
                yield originMicros == null ? "Preparing the snapshot of " + tracks.size() + " VMs"
                        : String.format("Snapshot running — %d of %d VMs copied",
                                tracks.stream().filter(t -> t.stage() == VmStage.COPIED).count(), tracks.size());
            }
        };
    }

    private double skewOrZero() {
        double skew = skewMs();
        return Double.isNaN(skew) ? 0 : skew;
    }

    List<TimelineSegment> segments() {
        List<TimelineSegment> all = new ArrayList<>();
        tracks().forEach(t -> all.addAll(VmTrack.segments(t, originMicros(), latestMicros)));
        return all;
    }

    List<TimelineMarker> markers() {
        List<TimelineMarker> all = new ArrayList<>();
        tracks().forEach(t -> all.addAll(VmTrack.markers(t, originMicros())));
        return all;
    }

    /** The result's flows on the shared axis (the analysis counts from the first snapshot point). */
    List<TcpFlowView> tcpFlows() {
        TcpReport tcp = result == null ? null : result.tcp();
        if (tcp == null) {
            return List.of();
        }
        long firstStop = result.vms().stream().mapToLong(VmResult::stopAt).min().orElse(originMicros());
        double shift = (firstStop - originMicros()) / 1000.0;
        return tcp.flows().stream().map(f -> new TcpFlowView(f.from() + " → " + f.to(), shift + f.stallFromMs(),
                shift + f.stallFromMs() + f.stallMs(), f.retransmitAtMs().stream().map(at -> shift + at).toList(),
                f.retransmits(), f.bytes())).toList();
    }

    /** Packets that crossed the cut backwards (0 for a consistent snapshot); null when not measured. */
    Integer orphanPackets() {
        return result == null || result.tcp() == null ? null : result.tcp().orphanPackets();
    }

    /** Why the TCP chart is empty, or "" when it has figures. */
    String tcpNote() {
        if (result == null) {
            return "TCP analysis follows the commit";
        }
        if (result.tcp() == null) {
            return "Traffic was not captured";
        }
        if (result.tcp().unavailable() != null) {
            return "TCP analysis unavailable: " + result.tcp().unavailable();
        }
        return result.tcp().flows().isEmpty() ? "No TCP flow between the VMs carried data" : "";
    }
}
