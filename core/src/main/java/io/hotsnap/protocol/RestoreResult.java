package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hotsnap.net.TcpReport;
import java.util.List;

/**
 * A finished restore's figures, kept next to the snapshot ({@code ID/restore-RESTOREID.json}).
 *
 * @param loadMs             from {@code restore-load} sent to every host to the last host's answer: the barrier
 * @param resumeSkewMs       max − min of the VMs' RESUME on the coordinator's clock: how far apart they started again
 * @param clockUncertaintyMs the largest ± error of the agents' clock offsets: skews below it are not resolved
 * @param tcp                the TCP streams between the VMs restored in place, from the last RESUME to the
 *                           end of the capture window: per flow when its first data arrived ({@code firstDataMs},
 *                           ms after that RESUME), its longest stall, retransmissions and resets; or why not
 *                           measured (clones have no network of their own); null when not asked for
 * @param tcpWindowMs        how long after the last RESUME the traffic was captured; null when not asked for
 */
public record RestoreResult(String restoreId, String snapshotId, List<RestoredVmResult> vms, double loadMs, double resumeSkewMs,
                            double clockUncertaintyMs, @JsonInclude(JsonInclude.Include.NON_NULL) TcpReport tcp,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Double tcpWindowMs) {

    public RestoreResult {
        vms = List.copyOf(vms);
    }

    public RestoreResult withTcp(TcpReport report, double windowMs) {
        return new RestoreResult(restoreId, snapshotId, vms, loadMs, resumeSkewMs, clockUncertaintyMs, report, windowMs);
    }

    /** The last RESUME, coordinator µs: the barrier the TCP figures are timed from. */
    public long resumedAt() {
        return vms.stream().mapToLong(RestoredVmResult::resumedAt).max().orElse(0);
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
