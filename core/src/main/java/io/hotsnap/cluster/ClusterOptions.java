package io.hotsnap.cluster;

import io.hotsnap.snapshot.DiskMode;
import java.time.Duration;

/**
 * How to take a cluster snapshot.
 *
 * @param store        the agents' snapshot store, or null for each agent's default
 * @param holdDeadline the agents release every hold after this, whatever the coordinator does
 */
public record ClusterOptions(String store, DiskMode diskMode, Duration holdDeadline) {

    public static ClusterOptions defaults() {
        return new ClusterOptions(null, DiskMode.COPY, Duration.ofSeconds(10));
    }

    public ClusterOptions withStore(String dir) {
        return new ClusterOptions(dir, diskMode, holdDeadline);
    }

    public ClusterOptions withDiskMode(DiskMode mode) {
        return new ClusterOptions(store, mode, holdDeadline);
    }
}
