package io.hotsnap.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Reads the captures of a cluster snapshot (DESIGN §5). A frame's delivery to a guest is when it
 * reached the guest's tap, moved past any interval in which that VM was paused or held. Then per
 * data-carrying flow between the cluster's VMs:
 * <ul>
 * <li>a retransmission is a segment whose data the sender had sent already. It is the network's
 * doing (a drop, a hold, a pause) when, at the moment it was sent, its first byte had not reached
 * the receiving guest, or the receiver's ACK of it was on its way but had not reached the sender.
 * Otherwise the network had done its part and the receiver was merely slow to acknowledge (a
 * starved guest under TCG does this with no snapshot at all): counted apart as spurious. Of the
 * network's, a resent tail (the last data sent, not the first unacknowledged byte) is a tail loss
 * probe, which Linux sends after about two round trips without an ACK and which costs TCP no
 * backoff: counted apart as a probe. The rest are the retransmissions that mean backoff (a
 * timeout or loss recovery);</li>
 * <li>the stall is the longest gap between deliveries of new data at the receiver, from the
 * capture's start to its end;</li>
 * <li>the first data is when the receiver got the flow's first new data of the analysed span
 * (after a restore: how long the stream took to flow again);</li>
 * <li>the resets are RST segments on the connection, either way, in the analysed span (after a
 * restore: a pair of VMs whose TCP states disagree);</li>
 * <li>an orphan is a frame sent after its sender's snapshot point and delivered before its receiver's.</li>
 * </ul>
 */
public final class TcpStallAnalyzer {

    private TcpStallAnalyzer() {
    }

    /**
     * @param origin       the cut's first snapshot point: timelines are in ms from it
     * @param captureStart where the analysis starts (at or after the captures began), coordinator µs:
     *                     stalls and retransmissions before it are not counted
     * @param captureEnd   when the captures ended
     */
    public static TcpReport analyze(List<VmTraffic> vms, long origin, long captureStart, long captureEnd) {
        Map<Integer, VmTraffic> byIp = addresses(vms);
        Map<TcpPacket.FlowKey, List<TcpPacket>> sent = new LinkedHashMap<>();
        Map<TcpPacket.FlowKey, List<TcpPacket>> delivered = new HashMap<>();
        int orphans = 0;
        Map<List<Object>, Queue<Long>> sendTimes = new HashMap<>();
        for (VmTraffic vm : vms) {
            for (TcpPacket p : vm.sent()) {
                if (byIp.get(p.dstIp()) != null && byIp.get(p.dstIp()) != vm) {
                    sent.computeIfAbsent(p.flow(), k -> new ArrayList<>()).add(p);
                    sendTimes.computeIfAbsent(identity(p), k -> new ArrayDeque<>()).add(p.atMicros());
                }
            }
        }
        for (VmTraffic receiver : vms) {
            for (TcpPacket p : receiver.arrived().stream().sorted(Comparator.comparingLong(TcpPacket::atMicros)).toList()) {
                VmTraffic sender = byIp.get(p.srcIp());
                if (sender == null || sender == receiver) {
                    continue;
                }
                long at = receiver.deliveredAt(p.atMicros());
                delivered.computeIfAbsent(p.flow(), k -> new ArrayList<>()).add(p.withTime(at));
                Queue<Long> times = sendTimes.get(identity(p));
                Long sentAt = times == null ? null : times.poll();
                if (sentAt != null && sentAt > sender.snapshotPoint() && at < receiver.snapshotPoint()) {
                    orphans++;
                }
            }
        }
        List<TcpReport.Flow> flows = new ArrayList<>();
        for (Map.Entry<TcpPacket.FlowKey, List<TcpPacket>> e : sent.entrySet()) {
            TcpPacket.FlowKey key = e.getKey();
            List<TcpPacket> in = delivered.getOrDefault(key, List.of());
            TcpPacket.FlowKey back = new TcpPacket.FlowKey(key.dstIp(), key.dstPort(), key.srcIp(), key.srcPort());
            Path path = new Path(in, sent.getOrDefault(back, List.of()), delivered.getOrDefault(back, List.of()));
            TcpReport.Flow flow = flow(byIp.get(key.srcIp()).vm(), byIp.get(key.dstIp()).vm(), key, e.getValue(), path, origin,
                    captureStart, captureEnd);
            if (flow != null) {
                flows.add(flow);
            }
        }
        return new TcpReport(flows, orphans, null);
    }

    /**
     * What became of a flow's frames: its data as the receiver got it, and the ACKs coming back as
     * the receiver sent them and as the sender got them (times are deliveries, where delivered).
     */
    private record Path(List<TcpPacket> delivered, List<TcpPacket> acksSent, List<TcpPacket> acksDelivered) {

        /** The network still had the segment starting at {@code seq}, or its ACK, when the sender resent it at {@code at}. */
        boolean stillInFlight(long seq, long at) {
            long dataIn = earliest(delivered, p -> covers(p, seq));
            long ackSent = earliest(acksSent, p -> after(p.ack(), seq));
            long ackIn = earliest(acksDelivered, p -> after(p.ack(), seq));
            return dataIn > at || (ackSent <= at && ackIn > at);
        }

        /** The sender's first unacknowledged byte at {@code at}: the highest ACK it had been given, or -1 for none. */
        long unackedAt(long at) {
            Long una = null;
            for (TcpPacket a : acksDelivered) {
                if (a.atMicros() <= at && (una == null || after(a.ack(), una))) {
                    una = a.ack();
                }
            }
            return una == null ? -1 : una;
        }

        private static long earliest(List<TcpPacket> packets, java.util.function.Predicate<TcpPacket> which) {
            return packets.stream().filter(which).mapToLong(TcpPacket::atMicros).min().orElse(Long.MAX_VALUE);
        }

        private static boolean covers(TcpPacket p, long seq) {
            return p.payload() > 0 && !after(p.seq(), seq) && after(p.seqEnd(), seq);
        }
    }

    private static TcpReport.Flow flow(String from, String to, TcpPacket.FlowKey key, List<TcpPacket> sent, Path path,
                                       long origin, long captureStart, long captureEnd) {
        List<TcpPacket> delivered = path.delivered();
        List<Double> retransmits = new ArrayList<>();
        int spurious = 0;
        int probes = 0;
        Long highest = null;
        for (TcpPacket p : sent.stream().sorted(Comparator.comparingLong(TcpPacket::atMicros)).toList()) {
            if (p.payload() == 0) {
                continue;
            }
            if (highest == null || after(p.seqEnd(), highest)) {
                highest = p.seqEnd();
            } else if (p.atMicros() < captureStart) {
                continue;
            } else if (path.stillInFlight(p.seq(), p.atMicros())) {
                if (p.seqEnd() == highest && p.seq() != path.unackedAt(p.atMicros())) {
                    probes++;
                } else {
                    retransmits.add(ms(p.atMicros() - origin));
                }
            } else {
                spurious++;
            }
        }
        if (highest == null) {
            return null; // only ACKs this way: the data flows the other way
        }
        long last = captureStart;
        long longest = 0;
        long stallFrom = captureStart;
        long bytes = 0;
        Long received = null;
        Long firstData = null;
        for (TcpPacket p : delivered.stream().sorted(Comparator.comparingLong(TcpPacket::atMicros)).toList()) {
            if (p.payload() == 0 || (received != null && !after(p.seqEnd(), received))) {
                continue;
            }
            bytes += received == null ? p.payload() : Math.min(p.payload(), (p.seqEnd() - received) & 0xffffffffL);
            received = p.seqEnd();
            if (p.atMicros() < captureStart) {
                continue;
            }
            if (firstData == null) {
                firstData = p.atMicros();
            }
            if (p.atMicros() - last > longest) {
                longest = p.atMicros() - last;
                stallFrom = last;
            }
            last = p.atMicros();
        }
        if (captureEnd - last > longest) {
            longest = captureEnd - last;
            stallFrom = last;
        }
        // Either way: the side whose state disagrees answers with the reset.
        int resets = (int) java.util.stream.Stream.concat(sent.stream(), path.acksSent().stream())
                .filter(p -> p.atMicros() >= captureStart && (p.flags() & TcpPacket.RST) != 0).count();
        String connection = ip(key.srcIp()) + ":" + key.srcPort() + " > " + ip(key.dstIp()) + ":" + key.dstPort();
        return new TcpReport.Flow(from, to, connection, ms(longest), ms(stallFrom - origin), retransmits.size(), retransmits, probes, spurious,
                bytes, resets, firstData == null ? null : ms(firstData - origin));
    }

    /** Each VM's address, from the frames it sent. */
    private static Map<Integer, VmTraffic> addresses(List<VmTraffic> vms) {
        Map<Integer, VmTraffic> byIp = new HashMap<>();
        for (VmTraffic vm : vms) {
            vm.sent().stream().map(TcpPacket::srcIp).distinct().forEach(ip -> byIp.put(ip, vm));
        }
        return byIp;
    }

    /** What a frame is on both taps: a retransmission differs from its original in the IP id at least. */
    private static List<Object> identity(TcpPacket p) {
        return List.of(p.flow(), p.seq(), p.ack(), p.payload(), p.flags(), p.ipId());
    }

    /** {@code a} comes after {@code b} in 32-bit sequence space. */
    private static boolean after(long a, long b) {
        return (int) (a - b) > 0;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static String ip(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
