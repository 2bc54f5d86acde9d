package io.hotsnap.coordinator;

import io.hotsnap.net.TcpPacket;
import io.hotsnap.net.TcpReport;
import io.hotsnap.net.TcpStallAnalyzer;
import io.hotsnap.net.VmCapture;
import io.hotsnap.net.VmTraffic;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.Coverage;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.snapshot.VmPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The snapshot's events on the coordinator's clock, and the figures derived from them: per VM
 * downtime (STOP → RESUME) and hold (HOLD_ON → HOLD_OFF, 0 in modes without holds), the
 * snapshot-point skew, and the TCP analysis of the captures against those same times.
 */
final class Timeline {

    /** The TCP analysis starts this long before the cut's first hold or pause. */
    static final long LEAD_IN_MICROS = 200_000;

    private final List<ClusterEvent> events = new ArrayList<>();
    private final PhaseFold phases = new PhaseFold();

    synchronized void add(ClusterEvent event) {
        events.add(event);
        phases.apply(event);
    }

    synchronized List<ClusterEvent> events() {
        return List.copyOf(events);
    }

    ClusterResult result(String id, String mode, double commitMs, List<AgentSession> sessions, List<VmPart> parts) {
        List<VmResult> vms = new ArrayList<>();
        double uncertainty = 0;
        for (AgentSession s : sessions) {
            uncertainty = Math.max(uncertainty, s.offset().uncertaintyMicros() / 1000.0);
            for (String vm : s.target().vms()) {
                VmPart part = parts.stream().filter(p -> p.name().equals(vm)).findFirst().orElseThrow();
                PhaseSpan pause = closed(s.host(), vm, VmTimeline::pause, EventKind.STOP, EventKind.RESUME);
                double hold = hold(s.host(), vm).isEmpty() ? 0
                        : length(closed(s.host(), vm, VmTimeline::hold, EventKind.HOLD_ON, EventKind.HOLD_OFF));
                vms.add(new VmResult(vm, s.host(), length(pause), hold, part.transientMs(), part.fullMs(),
                        part.memory().bytes(), part.diskBytes(), pause.fromMicros(), coverage(s.host(), vm).orElse(null)));
            }
        }
        long max = vms.stream().mapToLong(VmResult::stopAt).max().orElse(0);
        long min = vms.stream().mapToLong(VmResult::stopAt).min().orElse(0);
        return new ClusterResult(id, "committed", mode, ms(max - min), commitMs, uncertainty, vms, null);
    }

    /**
     * The captures on the coordinator's clock, each VM deaf while it was paused or held, analysed
     * over the span every capture covered.
     */
    TcpReport tcp(List<AgentTraffic> captured, ClusterResult result) {
        List<VmTraffic> vms = new ArrayList<>();
        long start = Long.MIN_VALUE;
        long end = Long.MAX_VALUE;
        for (AgentTraffic a : captured) {
            ClockOffset offset = a.session().offset();
            start = Math.max(start, offset.toCoordinatorMicros(a.traffic().startedAt()));
            end = Math.min(end, offset.toCoordinatorMicros(a.traffic().stoppedAt()));
            for (VmCapture c : a.traffic().vms()) {
                String host = a.session().host();
                VmResult vm = result.vms().stream().filter(v -> v.name().equals(c.vm()) && v.host().equals(host)).findFirst()
                        .orElseThrow(() -> new IllegalStateException(host + " sent traffic of " + c.vm() + ", which is not in the cut"));
                vms.add(new VmTraffic(c.vm(), vm.stopAt(), deaf(host, c.vm()), shifted(c.sent(), offset), shifted(c.arrived(), offset)));
            }
        }
        long origin = result.vms().stream().mapToLong(VmResult::stopAt).min().orElse(0);
        // From just before the cut began: what happened earlier (the prepare's own load on a busy
        // host, a precopy's live rounds) is not the cut's doing.
        return TcpStallAnalyzer.analyze(vms, origin, Math.max(start, cutBegan() - LEAD_IN_MICROS), end)
                .withTruncated(truncated(captured));
    }

    /** The VMs whose capture reached its cap, as {@code HOST/VM}. */
    static List<String> truncated(List<AgentTraffic> captured) {
        List<String> vms = new ArrayList<>();
        for (AgentTraffic a : captured) {
            a.traffic().vms().stream().filter(VmCapture::truncated).forEach(c -> vms.add(a.session().host() + "/" + c.vm()));
        }
        return vms;
    }

    /** The cut's first hold or pause, coordinator µs. */
    synchronized long cutBegan() {
        return phases.cutBegan().orElseThrow(() -> new IllegalStateException("no VM was held or paused"));
    }

    private List<VmTraffic.Interval> deaf(String host, String vm) {
        List<VmTraffic.Interval> deaf = new ArrayList<>();
        PhaseSpan pause = closed(host, vm, VmTimeline::pause, EventKind.STOP, EventKind.RESUME);
        deaf.add(new VmTraffic.Interval(pause.fromMicros(), pause.toMicros().getAsLong()));
        hold(host, vm).ifPresent(h -> deaf.add(new VmTraffic.Interval(h.fromMicros(), h.toOr(Long.MAX_VALUE))));
        return deaf;
    }

    /** Frames stamped on an agent's clock, on the coordinator's. */
    static List<TcpPacket> shifted(List<TcpPacket> packets, ClockOffset offset) {
        return packets.stream().map(p -> p.withTime(offset.toCoordinatorMicros(p.atMicros()))).toList();
    }

    /** A phase of {@code vm} that must be over: its opening and closing events both reported. */
    private synchronized PhaseSpan closed(String host, String vm, Function<VmTimeline, Optional<PhaseSpan>> phase, EventKind opens, EventKind closes) {
        PhaseSpan span = phase.apply(timeline(host, vm)).orElseThrow(() -> missing(host, vm, opens));
        if (!span.isClosed()) {
            throw missing(host, vm, closes);
        }
        return span;
    }

    private synchronized Optional<Coverage> coverage(String host, String vm) {
        return timeline(host, vm).coverage();
    }

    private synchronized Optional<PhaseSpan> hold(String host, String vm) {
        return timeline(host, vm).hold();
    }

    private VmTimeline timeline(String host, String vm) {
        return phases.vm(host, vm).orElseThrow(() -> missing(host, vm, EventKind.STOP));
    }

    private static IllegalStateException missing(String host, String vm, EventKind kind) {
        return new IllegalStateException(vm + " on " + host + " reported no " + kind);
    }

    private static double length(PhaseSpan span) {
        return ms(span.toMicros().getAsLong() - span.fromMicros());
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
