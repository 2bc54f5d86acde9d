package io.hotsnap.app.dashboard;

import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.protocol.VmResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A recorded snapshot grown to many VMs for load tests: copy k of the recording runs on host
 * {@code hostK}, {@code k × SHIFT_MICROS} later, and all copies' events are merged by time as if
 * the hosts had reported at once. The last copy keeps only as many VMs as are still needed; one
 * COMMITTED ends it all. VMs are told apart by name, so the recording must come from one host.
 */
final class ScaledRecording {

    /** Each copy's delay: spreads the snapshot points a little, as real hosts would. */
    static final long SHIFT_MICROS = 23;

    private ScaledRecording() {
    }

    static SnapshotRecord of(SnapshotRecord recording, int vms) {
        List<String> names = new ArrayList<>(vmNames(recording));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the recording has no VM events");
        }
        int copies = (vms + names.size() - 1) / names.size();
        List<ClusterEvent> events = new ArrayList<>();
        List<VmResult> results = new ArrayList<>();
        List<TcpReport.Flow> flows = new ArrayList<>();
        for (int k = 0; k < copies; k++) {
            Set<String> kept = Set.copyOf(names.subList(0, Math.min(names.size(), vms - k * names.size())));
            String host = String.format("host%02d", k + 1);
            long shift = k * SHIFT_MICROS;
            for (ClusterEvent e : recording.events()) {
                if (e.vm() != null && kept.contains(e.vm())) {
                    events.add(new ClusterEvent(host, e.seq(), e.kind(), e.vm(), e.atMicros() + shift, e.data()));
                }
            }
            for (VmResult v : recording.result().vms()) {
                if (kept.contains(v.name())) {
                    results.add(new VmResult(v.name(), host, v.downtimeMs(), v.holdMs(), v.transientMs(), v.fullMs(), v.memoryBytes(),
                            v.diskBytes(), v.stopAt() + shift, v.coverage()));
                }
            }
            TcpReport tcp = recording.result().tcp();
            if (tcp != null) {
                for (TcpReport.Flow f : tcp.flows()) {
                    if (kept.contains(f.from()) && kept.contains(f.to())) {
                        flows.add(new TcpReport.Flow(VmTrack.name(host, f.from()), VmTrack.name(host, f.to()), f.connection(), f.stallMs(), f.stallFromMs(),
                                f.retransmits(), f.retransmitAtMs(), f.tailProbes(), f.spuriousRetransmits(), f.bytes(), f.resets(), f.firstDataMs()));
                    }
                }
            }
        }
        events.sort(Comparator.comparingLong(ClusterEvent::atMicros));
        recording.events().stream().filter(e -> e.kind() == EventKind.COMMITTED).findFirst()
                .ifPresent(c -> events.add(new ClusterEvent(c.host(), c.seq(), c.kind(), null, c.atMicros() + (copies - 1) * SHIFT_MICROS,
                        c.data())));
        return new SnapshotRecord(scaledResult(recording.result(), results, flows), events);
    }

    private static ClusterResult scaledResult(ClusterResult r, List<VmResult> vms, List<TcpReport.Flow> flows) {
        long max = vms.stream().mapToLong(VmResult::stopAt).max().orElse(0);
        long min = vms.stream().mapToLong(VmResult::stopAt).min().orElse(0);
        TcpReport tcp = r.tcp() == null ? null : new TcpReport(flows, r.tcp().orphanPackets(), r.tcp().unavailable(), r.tcp().truncated());
        return new ClusterResult(r.id(), r.status(), r.mode(), (max - min) / 1000.0, r.commitMs(), r.clockUncertaintyMs(), vms, tcp);
    }

    private static Set<String> vmNames(SnapshotRecord recording) {
        Set<String> names = new LinkedHashSet<>();
        recording.events().stream().filter(e -> e.vm() != null).forEach(e -> names.add(e.vm()));
        return names;
    }
}
