package io.hotsnap.net;

import java.util.List;

/**
 * What one VM's tap saw during a cluster snapshot, every time on the coordinator's clock.
 *
 * @param snapshotPoint the VM's STOP: its snapshot point
 * @param deaf          intervals in which a frame reaching the tap waited before the guest got it
 *                      (the VM paused, its inbound traffic held)
 * @param sent          frames the VM sent
 * @param arrived       frames the host passed to the VM
 */
public record VmTraffic(String vm, long snapshotPoint, List<Interval> deaf, List<TcpPacket> sent, List<TcpPacket> arrived) {

    /** [from, to) in µs; an open end is {@link Long#MAX_VALUE}. */
    public record Interval(long from, long to) {
    }

    /** When the guest got a frame that reached its tap at {@code tapMicros}: after every deaf interval it fell into. */
    public long deliveredAt(long tapMicros) {
        long t = tapMicros;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Interval i : deaf) {
                if (i.from() <= t && t < i.to()) {
                    t = i.to();
                    moved = true;
                }
            }
        }
        return t;
    }
}
