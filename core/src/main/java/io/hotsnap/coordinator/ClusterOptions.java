package io.hotsnap.coordinator;

import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.settings.AgentBounds;
import io.hotsnap.snapshot.DiskMode;
import java.time.Duration;

/**
 * How to take a cluster snapshot.
 *
 * @param store        the agents' snapshot store, or null for each agent's default
 * @param holdDeadline the agents release every hold (and, in barrier mode, resume every VM) after
 *                     this, whatever the coordinator does
 * @param staggerMillis delay between one VM's snapshot trigger and the next one's on each agent: 0
 *                      normally; set to skew an {@code independent} cut on purpose (tests, demos)
 * @param capture      capture the VMs' traffic during the snapshot for the TCP and consistency analysis
 */
public record ClusterOptions(ClusterMode mode, String store, DiskMode diskMode, Duration holdDeadline, long staggerMillis,
                             boolean capture) {

    /**
     * Auto mode, which works on every VM; holds released by the agents at the longest any agent
     * allows: a hold is bounded by the agent, not by a guess here.
     */
    public static ClusterOptions defaults() {
        return new ClusterOptions(ClusterMode.AUTO, null, DiskMode.COPY, AgentBounds.MAX_HOLD, 0, true);
    }

    public ClusterOptions withMode(ClusterMode m) {
        return new ClusterOptions(m, store, diskMode, holdDeadline, staggerMillis, capture);
    }

    public ClusterOptions withStore(String dir) {
        return new ClusterOptions(mode, dir, diskMode, holdDeadline, staggerMillis, capture);
    }

    public ClusterOptions withDiskMode(DiskMode d) {
        return new ClusterOptions(mode, store, d, holdDeadline, staggerMillis, capture);
    }

    public ClusterOptions withHoldDeadline(Duration d) {
        return new ClusterOptions(mode, store, diskMode, d, staggerMillis, capture);
    }

    public ClusterOptions withStagger(long millis) {
        return new ClusterOptions(mode, store, diskMode, holdDeadline, millis, capture);
    }

    public ClusterOptions withCapture(boolean on) {
        return new ClusterOptions(mode, store, diskMode, holdDeadline, staggerMillis, on);
    }
}
