package io.hotsnap.cluster;

import java.util.List;

/**
 * A finished restore's figures, kept next to the snapshot ({@code ID/restore-RESTOREID.json}).
 *
 * @param loadMs             from {@code restore-load} sent to every host to the last host's answer: the barrier
 * @param resumeSkewMs       max − min of the VMs' RESUME on the coordinator's clock: how far apart they started again
 * @param clockUncertaintyMs the largest ± error of the agents' clock offsets: skews below it are not resolved
 */
public record RestoreResult(String restoreId, String snapshotId, List<RestoredVmResult> vms, double loadMs, double resumeSkewMs,
                            double clockUncertaintyMs) {

    public RestoreResult {
        vms = List.copyOf(vms);
    }

    /**
     * One restored VM.
     *
     * @param as        the name it runs under (its own in place, the clone's otherwise)
     * @param loadMs    streaming its memory image into QEMU
     * @param resumedAt QEMU's RESUME, coordinator µs
     */
    public record RestoredVmResult(String host, String vm, String as, boolean inPlace, double loadMs, long resumedAt) {
    }
}
