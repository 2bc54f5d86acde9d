package io.hotsnap.app.dashboard;

import java.util.List;

/**
 * One TCP flow of the result, its times moved onto the timeline's axis (ms from the first event).
 * The capture gives no throughput over time, only the longest stall and the retransmissions.
 *
 * @param flow the flow's name, "from → to"
 */
public record TcpFlowView(String flow, double stallFromMs, double stallToMs, List<Double> retransmitAtMs, int retransmits,
                          long bytes) {

    public TcpFlowView {
        retransmitAtMs = List.copyOf(retransmitAtMs);
    }
}
