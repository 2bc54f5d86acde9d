package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hotsnap.net.TcpReport;
import java.util.List;

/**
 * A committed cluster snapshot's figures (DESIGN §5).
 *
 * @param skewMs   max − min of the VMs' STOP on the coordinator's clock: how far apart the snapshot points are
 * @param commitMs from the {@code snapshot} request to the committed manifest
 * @param clockUncertaintyMs the largest ± error of the agents' clock offsets: skews below it are not resolved
 * @param tcp      the network analysis of the captured traffic, or null when not captured
 */
public record ClusterResult(String id, String status, String mode, double skewMs, double commitMs, double clockUncertaintyMs,
                            List<VmResult> vms, @JsonInclude(JsonInclude.Include.NON_NULL) TcpReport tcp) {

    public ClusterResult withTcp(TcpReport t) {
        return new ClusterResult(id, status, mode, skewMs, commitMs, clockUncertaintyMs, vms, t);
    }
}
