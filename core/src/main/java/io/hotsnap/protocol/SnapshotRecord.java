package io.hotsnap.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a cluster snapshot leaves for later eyes ({@code ID/report.json} next to the manifest): its
 * figures and every event the coordinator published, on the coordinator's clock, so the console
 * can replay the snapshot's dashboard from a catalog.
 */
public record SnapshotRecord(ClusterResult result, List<ClusterEvent> events) {

    /**
     * At most one progress sample per VM in this span (5 a second): a 30-minute copy keeps at most
     * 9 000 per VM, whatever the rate of QEMU's polls and migration events.
     */
    static final long PROGRESS_GAP_MICROS = 200_000;

    public SnapshotRecord {
        Objects.requireNonNull(result, "result");
        events = List.copyOf(events);
    }

    /**
     * The record of {@code result} with {@code events} in their order, PROGRESS samples thinned to
     * one per VM per {@link #PROGRESS_GAP_MICROS}. Every other event is kept, PROGRESS phase
     * markers ({@code data.phase}) too: they are milestones, not samples.
     */
    public static SnapshotRecord of(ClusterResult result, List<ClusterEvent> events) {
        Map<Source, Long> lastKept = new HashMap<>();
        List<ClusterEvent> kept = new ArrayList<>();
        for (ClusterEvent e : events) {
            if (e.isProgressSample()) {
                Long last = lastKept.get(new Source(e.host(), e.vm()));
                if (last != null && e.atMicros() - last < PROGRESS_GAP_MICROS) {
                    continue;
                }
                lastKept.put(new Source(e.host(), e.vm()), e.atMicros());
            }
            kept.add(e);
        }
        return new SnapshotRecord(result, kept);
    }

    /** A VM of a host (vm null: the agent as a whole). */
    private record Source(String host, String vm) {
    }
}
