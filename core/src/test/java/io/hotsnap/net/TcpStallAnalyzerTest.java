package io.hotsnap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpStallAnalyzerTest {

    private static final int A_IP = 0x0a4d0001;
    private static final int B_IP = 0x0a4d0002;
    private static final long MS = 1000;

    /** A sends 1000-byte segments to B every 10 ms from t=0 to t=990 ms; B acks each. */
    private static List<TcpPacket> stream(long fromMs, long toMs, long firstSeq) {
        List<TcpPacket> out = new ArrayList<>();
        long seq = firstSeq;
        for (long t = fromMs; t < toMs; t += 10) {
            out.add(data(t * MS, seq, (int) t));
            seq += 1000;
        }
        return out;
    }

    private static TcpPacket data(long at, long seq, int ipId) {
        return new TcpPacket(at, A_IP, 40000, B_IP, 5001, seq, 1, 1000, 0x18, ipId);
    }

    private static TcpPacket ack(long at, long ackNo) {
        return new TcpPacket(at, B_IP, 5001, A_IP, 40000, 1, ackNo, 0, 0x10, (int) ackNo);
    }

    private static VmTraffic vm(String name, long point, List<VmTraffic.Interval> deaf, List<TcpPacket> sent, List<TcpPacket> arrived) {
        return new VmTraffic(name, point, deaf, sent, arrived);
    }

    private static List<TcpPacket> later(List<TcpPacket> packets, long micros) {
        return packets.stream().map(p -> p.withTime(p.atMicros() + micros)).toList();
    }

    @Test
    void anUndisturbedStreamHasNoOrphansNoRetransmitsAndStallsOnlyBetweenSegments() {
        List<TcpPacket> sent = stream(0, 1000, 1);
        TcpReport r = TcpStallAnalyzer.analyze(List.of(
                vm("a", 500 * MS, List.of(), sent, List.of(ack(5 * MS, 1001))),
                vm("b", 500 * MS, List.of(), List.of(ack(5 * MS, 1001)), later(sent, 200))), 500 * MS, 0, 1000 * MS);
        assertEquals(0, r.orphanPackets());
        assertEquals(1, r.flows().size(), "the ACK direction carries no data");
        TcpReport.Flow flow = r.flows().get(0);
        assertEquals("a", flow.from());
        assertEquals("b", flow.to());
        assertEquals(0, flow.retransmits());
        assertEquals(10.0, flow.stallMs(), 0.01);
        assertEquals(100 * 1000, flow.bytes());
    }

    @Test
    void afterARestoreTheFirstDataIsTimedFromTheResumeAndTheWaitForItIsTheStall() {
        // Both resumed at 500 ms (deaf before); a's stream starts again 120 ms later and reaches b 0.2 ms after.
        List<TcpPacket> sent = stream(620, 1000, 1);
        List<VmTraffic.Interval> paused = List.of(new VmTraffic.Interval(Long.MIN_VALUE, 500 * MS));
        TcpReport r = TcpStallAnalyzer.analyze(List.of(
                vm("a", 500 * MS, paused, sent, List.of(ack(630 * MS, 1001))),
                vm("b", 500 * MS, paused, List.of(ack(630 * MS, 1001)), later(sent, 200))), 500 * MS, 500 * MS, 1000 * MS);
        TcpReport.Flow flow = r.flows().get(0);
        assertEquals(120.2, flow.firstDataMs(), 0.01);
        assertEquals(120.2, flow.stallMs(), 0.01);
        assertEquals(0, flow.stallFromMs(), 0.01);
        assertEquals(0, flow.resets());
    }

    @Test
    void aReceiverThatNoLongerKnowsTheConnectionResetsItAndTheResetIsCounted() {
        List<TcpPacket> sent = stream(620, 630, 1);
        TcpPacket reset = new TcpPacket(621 * MS, B_IP, 5001, A_IP, 40000, 0, 0, 0, TcpPacket.RST, 7);
        TcpReport r = TcpStallAnalyzer.analyze(List.of(
                vm("a", 500 * MS, List.of(), sent, List.of(reset)),
                vm("b", 500 * MS, List.of(), List.of(reset), later(sent, 200))), 500 * MS, 500 * MS, 1000 * MS);
        assertEquals(1, r.flows().get(0).resets());
    }

    @Test
    void aFlowWhoseDataNeverArrivedHasNoFirstData() {
        List<TcpPacket> sent = stream(0, 100, 1);
        TcpReport r = TcpStallAnalyzer.analyze(List.of(
                vm("a", 0, List.of(), sent, List.of()),
                vm("b", 0, List.of(), List.of(ack(5 * MS, 1)), List.of())), 0, 0, 1000 * MS);
        assertEquals(null, r.flows().get(0).firstDataMs());
        assertEquals(1000.0, r.flows().get(0).stallMs(), 0.01);
    }

    @Test
    void aPacketSentAfterTheSendersPointAndDeliveredBeforeTheReceiversIsAnOrphan() {
        List<TcpPacket> sent = stream(0, 1000, 1);
        // a's point at 300 ms, b's at 600 ms: the 30 segments sent in between reach b before its point.
        TcpReport r = TcpStallAnalyzer.analyze(List.of(
                vm("a", 300 * MS, List.of(), sent, List.of()),
                vm("b", 600 * MS, List.of(), List.of(ack(5 * MS, 1001)), later(sent, 100))), 300 * MS, 0, 1000 * MS);
        assertEquals(29, r.orphanPackets());
    }

    @Test
    void aHeldReceiverGetsNoOrphansAndTheHoldShowsAsTheStall() {
        List<TcpPacket> sent = stream(0, 1000, 1);
        // b is held from 295 ms until 650 ms, past its own point at 600 ms.
        VmTraffic b = vm("b", 600 * MS, List.of(new VmTraffic.Interval(295 * MS, 650 * MS)), List.of(ack(5 * MS, 1001)), later(sent, 100));
        TcpReport r = TcpStallAnalyzer.analyze(List.of(vm("a", 300 * MS, List.of(), sent, List.of()), b), 300 * MS, 0, 1000 * MS);
        assertEquals(0, r.orphanPackets());
        TcpReport.Flow flow = r.flows().get(0);
        assertEquals(0, flow.retransmits());
        assertEquals(650 - 290.1, flow.stallMs(), 0.01);
        assertEquals(290.1 - 300, flow.stallFromMs(), 0.01);
    }

    @Test
    void segmentsSentAgainAreRetransmissionsTimedFromTheCut() {
        List<TcpPacket> sent = new ArrayList<>(stream(0, 500, 1));
        long next = 1 + 50 * 1000;
        // Segment `next` dropped at 500 ms; sent again at 700 and 1100 ms (RTO 200 ms, doubled), then the stream goes on.
        sent.add(data(500 * MS, next, 9000));
        sent.add(data(700 * MS, next, 9001));
        sent.add(data(1100 * MS, next, 9002));
        sent.add(data(1110 * MS, next + 1000, 9003));
        List<TcpPacket> arrived = later(List.of(sent.subList(0, 50).toArray(TcpPacket[]::new)), 100);
        arrived = new ArrayList<>(arrived);
        arrived.add(sent.get(52).withTime(1100 * MS + 100));
        arrived.add(sent.get(53).withTime(1110 * MS + 100));
        // b acked everything before the dropped segment: that segment is the first a still waits for.
        TcpPacket ackBeforeDrop = ack(491 * MS, next);
        TcpReport r = TcpStallAnalyzer.analyze(List.of(vm("a", 400 * MS, List.of(), sent, List.of(ackBeforeDrop.withTime(492 * MS))),
                vm("b", 400 * MS, List.of(), List.of(ack(5 * MS, 1001), ackBeforeDrop), arrived)), 400 * MS, 0, 1200 * MS);
        TcpReport.Flow flow = r.flows().get(0);
        assertEquals(2, flow.retransmits());
        assertEquals(List.of(300.0, 700.0), flow.retransmitAtMs());
        assertTrue(flow.stallMs() >= 600, "the stall spans the backoff: " + flow.stallMs());
        assertEquals(0, r.orphanPackets());
    }

    @Test
    void resendingDataTheReceiverHadButHadNotAckedIsSpuriousNotTheNetworks() {
        List<TcpPacket> sent = new ArrayList<>(stream(0, 300, 1));
        sent.add(data(500 * MS, 1 + 29 * 1000, 7000)); // the last segment again; b got it at 290.1 ms and never acked it
        TcpReport r = TcpStallAnalyzer.analyze(List.of(vm("a", 400 * MS, List.of(), sent, List.of()),
                vm("b", 400 * MS, List.of(), List.of(ack(5 * MS, 1001)), later(stream(0, 300, 1), 100))), 400 * MS, 0, 600 * MS);
        TcpReport.Flow flow = r.flows().get(0);
        assertEquals(0, flow.retransmits());
        assertEquals(1, flow.spuriousRetransmits());
    }

    @Test
    void resendingWhileTheAckIsHeldAtTheSenderIsTheNetworks() {
        List<TcpPacket> sent = new ArrayList<>(stream(0, 300, 1));
        long last = 1 + 29 * 1000;
        sent.add(data(500 * MS, last, 7000));
        TcpPacket ackOfLast = ack(291 * MS, last + 1000);
        // b acked at 291 ms, but a's inbound traffic was held from 250 to 600 ms.
        TcpPacket ackBeforeLast = ack(240 * MS, last); // everything but the last segment acked before the hold
        VmTraffic a = vm("a", 400 * MS, List.of(new VmTraffic.Interval(250 * MS, 600 * MS)), sent,
                List.of(ackBeforeLast.withTime(241 * MS), ackOfLast.withTime(291 * MS + 50)));
        VmTraffic b = vm("b", 400 * MS, List.of(), List.of(ack(5 * MS, 1001), ackBeforeLast, ackOfLast), later(stream(0, 300, 1), 100));
        TcpReport.Flow flow = TcpStallAnalyzer.analyze(List.of(a, b), 400 * MS, 0, 700 * MS).flows().get(0);
        assertEquals(1, flow.retransmits());
        assertEquals(0, flow.spuriousRetransmits());
    }

    @Test
    void resendingTheTailWhileAcksAreHeldIsAProbeNotABackoff() {
        List<TcpPacket> sent = new ArrayList<>(stream(0, 300, 1));
        long last = 1 + 29 * 1000;
        sent.add(data(320 * MS, last, 7000)); // the tail again, 30 ms after it went: a's ACKs are held
        List<TcpPacket> acks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            acks.add(ack(i * 10 * MS + 150, 1 + (i + 1) * 1000L));
        }
        // a hears nothing from 250 ms to 400 ms; before that it had the ACKs up to segment 25.
        VmTraffic a = vm("a", 400 * MS, List.of(new VmTraffic.Interval(250 * MS, 400 * MS)), sent,
                acks.stream().map(x -> x.withTime(x.atMicros() + 50)).toList());
        VmTraffic b = vm("b", 400 * MS, List.of(), acks, later(stream(0, 300, 1), 100));
        TcpReport.Flow flow = TcpStallAnalyzer.analyze(List.of(a, b), 400 * MS, 0, 700 * MS).flows().get(0);
        assertEquals(1, flow.tailProbes());
        assertEquals(0, flow.retransmits());
    }

    @Test
    void deliveryWaitsOutEveryDeafIntervalItFallsInto() {
        VmTraffic b = vm("b", 0, List.of(new VmTraffic.Interval(10, 20), new VmTraffic.Interval(20, 30), new VmTraffic.Interval(50, 60)),
                List.of(), List.of());
        assertEquals(30, b.deliveredAt(15));
        assertEquals(40, b.deliveredAt(40));
        assertEquals(60, b.deliveredAt(50));
    }
}
