package io.hotsnap.net;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * One IPv4 TCP segment as a capture saw it: what the stall, retransmission and orphan analysis
 * needs, nothing more. Sent between agent and coordinator as a JSON array (captures hold tens of
 * thousands of them).
 *
 * @param atMicros when the capture saw it, µs since the epoch on the capturing host's wall clock
 * @param payload  TCP payload bytes (from the IP header's lengths, so a short snap length does not hide them)
 * @param ipId     IPv4 identification: tells a retransmission from the original, which share everything else
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record TcpPacket(long atMicros, int srcIp, int srcPort, int dstIp, int dstPort, long seq, long ack, int payload, int flags,
                        int ipId) {

    public static final int SYN = 0x02;
    public static final int FIN = 0x01;
    public static final int RST = 0x04;

    public TcpPacket withTime(long micros) {
        return new TcpPacket(micros, srcIp, srcPort, dstIp, dstPort, seq, ack, payload, flags, ipId);
    }

    /** The flow this segment belongs to, in its own direction. */
    public FlowKey flow() {
        return new FlowKey(srcIp, srcPort, dstIp, dstPort);
    }

    /** First sequence number after this segment's data (mod 2^32). */
    public long seqEnd() {
        return (seq + payload) & 0xffffffffL;
    }

    /** One direction of a TCP connection. */
    public record FlowKey(int srcIp, int srcPort, int dstIp, int dstPort) {
    }
}
