package io.hotsnap.cluster;

import java.util.List;

/**
 * What a cluster snapshot leaves for later eyes ({@code ID/report.json} next to the manifest): its
 * figures and every event the coordinator published, on the coordinator's clock, so the console
 * can replay the snapshot's dashboard from a catalog.
 */
public record SnapshotRecord(ClusterResult result, List<ClusterEvent> events) {

    public SnapshotRecord {
        events = List.copyOf(events);
    }
}
