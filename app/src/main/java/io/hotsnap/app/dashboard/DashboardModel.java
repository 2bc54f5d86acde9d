package io.hotsnap.app.dashboard;

import io.hotsnap.cluster.ClusterEvent;
import io.hotsnap.cluster.ClusterResult;
import io.hotsnap.cluster.VmResult;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.EventKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the dashboard knows about one snapshot, built from its events and final result. Plain Java,
 * no JavaFX: the view-model applies batches to it on the FX thread and publishes the outcome.
 * Every time is ms from the first event received, so the log, the timeline and the TCP chart share
 * one axis.
 */
final class DashboardModel {

    static final String WAITING_TEXT = "Waiting for the snapshot's first event";

    /** Names like lab2 before lab10: shorter first, then alphabetical. */
    private static final Comparator<String> NAME_ORDER = Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());
    private static final Comparator<VmTrack> ROW_ORDER = Comparator.comparing(VmTrack::host, NAME_ORDER)
            .thenComparing(VmTrack::vm, NAME_ORDER);

    private final Map<String, VmTrack> tracks = new HashMap<>();
    private Long originMicros;
    private long latestMicros;
    private DashboardState state = DashboardState.RUNNING;
    private String snapshotId;
    private Double commitMs;
    private String failure;
    private ClusterResult result;

    void expect(String host, List<String> vms) {
        vms.forEach(vm -> tracks.computeIfAbsent(VmTrack.name(host, vm), k -> new VmTrack(host, vm)));
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
        } else if (e.vm() != null) {
            tracks.computeIfAbsent(VmTrack.name(e.host(), e.vm()), k -> new VmTrack(e.host(), e.vm())).apply(e);
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
        tracks.values().forEach(t -> t.fail("snapshot aborted"));
    }

    private void commit() {
        if (state != DashboardState.FAILED) {
            state = DashboardState.COMMITTED;
            tracks.values().forEach(VmTrack::commit);
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

    List<VmTrack> tracks() {
        List<VmTrack> sorted = new ArrayList<>(tracks.values());
        sorted.sort(ROW_ORDER);
        return sorted;
    }

    /** max − min of the VMs' STOP, ms; NaN before any STOP. */
    double skewMs() {
        OptionalLong max = tracks.values().stream().map(VmTrack::stopAt).filter(s -> s != null).mapToLong(Long::longValue).max();
        OptionalLong min = tracks.values().stream().map(VmTrack::stopAt).filter(s -> s != null).mapToLong(Long::longValue).min();
        return max.isPresent() ? (max.getAsLong() - min.getAsLong()) / 1000.0 : Double.NaN;
    }

    String statusText() {
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
                                tracks.values().stream().filter(t -> t.phase() == VmPhase.COPIED).count(), tracks.size());
            }
        };
    }

    private double skewOrZero() {
        double skew = skewMs();
        return Double.isNaN(skew) ? 0 : skew;
    }

    List<TimelineSegment> segments() {
        List<TimelineSegment> all = new ArrayList<>();
        tracks().forEach(t -> all.addAll(t.segments(originMicros(), latestMicros)));
        return all;
    }

    List<TimelineMarker> markers() {
        List<TimelineMarker> all = new ArrayList<>();
        tracks().forEach(t -> all.addAll(t.markers(originMicros())));
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
