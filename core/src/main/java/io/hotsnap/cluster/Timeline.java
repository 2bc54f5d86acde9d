package io.hotsnap.cluster;

import io.hotsnap.protocol.EventKind;
import io.hotsnap.snapshot.VmPart;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The snapshot's events on the coordinator's clock, and the figures derived from them: per VM
 * downtime (STOP → RESUME) and hold (HOLD_ON → HOLD_OFF), and the snapshot-point skew.
 */
final class Timeline {

    private final List<ClusterEvent> events = new ArrayList<>();

    synchronized void add(ClusterEvent event) {
        events.add(event);
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
                long stop = first(s.host(), vm, EventKind.STOP);
                long resume = first(s.host(), vm, EventKind.RESUME);
                long holdOn = first(s.host(), vm, EventKind.HOLD_ON);
                long holdOff = first(s.host(), vm, EventKind.HOLD_OFF);
                vms.add(new VmResult(vm, s.host(), ms(resume - stop), ms(holdOff - holdOn), part.transientMs(), part.fullMs(),
                        part.memory().bytes(), part.diskBytes(), stop));
            }
        }
        long max = vms.stream().mapToLong(VmResult::stopAt).max().orElse(0);
        long min = vms.stream().mapToLong(VmResult::stopAt).min().orElse(0);
        return new ClusterResult(id, "committed", mode, ms(max - min), commitMs, uncertainty, vms);
    }

    private long first(String host, String vm, EventKind kind) {
        OptionalLong at = events().stream()
                .filter(e -> e.kind() == kind && vm.equals(e.vm()) && host.equals(e.host()))
                .mapToLong(ClusterEvent::atMicros).findFirst();
        return at.orElseThrow(() -> new IllegalStateException(vm + " on " + host + " reported no " + kind));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
