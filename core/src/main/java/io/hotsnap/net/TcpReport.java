package io.hotsnap.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The network side of a cluster snapshot (DESIGN §5): per TCP flow between the cluster's VMs, the
 * longest stall and the retransmissions; and the orphan count, the consistency check.
 *
 * @param orphanPackets packets sent after their sender's snapshot point and delivered before their
 *                      receiver's: 0 for a consistent cut; null when nothing was captured
 * @param unavailable   why there are no figures, or null
 * @param truncated     the VMs whose capture reached its byte cap: their figures miss what came after
 */
public record TcpReport(List<Flow> flows, @JsonInclude(JsonInclude.Include.NON_NULL) Integer orphanPackets,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String unavailable,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> truncated) {

    @JsonCreator
    public TcpReport {
        truncated = truncated == null ? List.of() : List.copyOf(truncated);
    }

    /** Figures of captures that were all whole. */
    public TcpReport(List<Flow> flows, Integer orphanPackets, String unavailable) {
        this(flows, orphanPackets, unavailable, List.of());
    }

    public static TcpReport unavailable(String reason) {
        return new TcpReport(List.of(), null, reason);
    }

    public TcpReport withTruncated(List<String> vms) {
        return new TcpReport(flows, orphanPackets, unavailable, vms);
    }

    /** The longest stall of any flow, ms (0 without flows). */
    public double maxStallMs() {
        return flows.stream().mapToDouble(Flow::stallMs).max().orElse(0);
    }

    /** Retransmissions over every flow. */
    public int retransmits() {
        return flows.stream().mapToInt(Flow::retransmits).sum();
    }

    /** Tail loss probes over every flow. */
    public int tailProbes() {
        return flows.stream().mapToInt(Flow::tailProbes).sum();
    }

    /**
     * One direction of a connection that carried data.
     *
     * @param stallMs        the longest time the receiver got no new data
     * @param stallFromMs    when that stall began, ms from the cut's first snapshot point
     * @param retransmits    retransmissions the network caused (a drop, or a hold or pause that kept
     *                       the segment or its ACK past the sender's timeout)
     * @param retransmitAtMs when each of those was sent, ms from the cut's first snapshot point:
     *                       TCP's exponential backoff shows as doubling gaps
     * @param tailProbes     tail loss probes the network caused: the last segment resent once after
     *                       about two round trips without an ACK (Linux's TLP); no backoff
     * @param spuriousRetransmits retransmissions of data the receiver already had, its ACK not yet
     *                       sent: a slow receiver, not the network (frequent with starved TCG guests)
     * @param bytes          new data delivered during the capture
     * @param resets         RST segments on the connection, either way, during the analysed span
     * @param firstDataMs    when the receiver got the first new data of the analysed span, ms from the
     *                       same origin; null when none came
     */
    public record Flow(String from, String to, String connection, double stallMs, double stallFromMs, int retransmits,
                       List<Double> retransmitAtMs, int tailProbes, int spuriousRetransmits, long bytes, int resets,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Double firstDataMs) {
    }
}
