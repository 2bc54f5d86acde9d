package io.hotsnap.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.net.TcpReport;
import io.hotsnap.net.TcpStallAnalyzer;
import io.hotsnap.net.VmCapture;
import io.hotsnap.net.VmTraffic;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.restore.RestorePhase;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP side of a restore: the in-place VMs' captures on the coordinator's clock, each VM deaf
 * until its RESUME (a frame that reached a paused VM's tap is the guest's at its resume), analysed
 * from the last RESUME, the barrier, to the end of the capture window. Clones are not measured: a
 * clone shares its original's MAC and IP, so its NIC is on a tap of its own that joins no bridge
 * and it has no streams to resume.
 */
final class RestoreTcp {

    static final String CLONES = "clones have no network of their own (a clone's NIC is on a tap of its own that joins no bridge)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RestoreTcp() {
    }

    static TcpReport analyze(List<AgentTraffic> captured, RestoreResult result) {
        List<VmTraffic> vms = new ArrayList<>();
        long end = Long.MAX_VALUE;
        for (AgentTraffic a : captured) {
            ClockOffset offset = a.session().offset();
            String host = a.session().host();
            end = Math.min(end, offset.toCoordinatorMicros(a.traffic().stoppedAt()));
            for (VmCapture c : a.traffic().vms()) {
                RestoreResult.RestoredVmResult vm = result.vms().stream().filter(v -> v.as().equals(c.vm()) && v.host().equals(host))
                        .findFirst().orElseThrow(() -> new IllegalStateException(host + " sent traffic of " + c.vm() + ", which it did not restore"));
                vms.add(new VmTraffic(c.vm(), vm.resumedAt(), List.of(new VmTraffic.Interval(Long.MIN_VALUE, vm.resumedAt())),
                        Timeline.shifted(c.sent(), offset), Timeline.shifted(c.arrived(), offset)));
            }
        }
        long barrier = result.resumedAt();
        TcpReport report = TcpStallAnalyzer.analyze(vms, barrier, barrier, end);
        // Orphans measure a cut; here every frame reaches its guest after that guest's resume by construction.
        return new TcpReport(report.flows(), null, null, Timeline.truncated(captured));
    }

    /**
     * One RESTORE event per restored VM, phase {@code tcp}: the flows it sends or receives with
     * the capture window, or why it was not measured.
     */
    static List<ClusterEvent> events(RestoreResult result, long atMicros) {
        List<ClusterEvent> events = new ArrayList<>();
        TcpReport tcp = result.tcp();
        for (RestoreResult.RestoredVmResult vm : result.vms()) {
            ObjectNode data = JSON.createObjectNode().put("phase", RestorePhase.TCP.wireName()).put("host", vm.host()).put("windowMs", result.tcpWindowMs());
            if (!vm.inPlace()) {
                data.put("notMeasured", CLONES);
            } else if (tcp.unavailable() != null) {
                data.put("notMeasured", tcp.unavailable());
            } else {
                data.set("flows", JSON.valueToTree(tcp.flows().stream().filter(f -> f.from().equals(vm.as()) || f.to().equals(vm.as())).toList()));
            }
            // The coordinator's own stream: seq 1 is the barrier.
            events.add(new ClusterEvent(ClusterEvent.COORDINATOR, 2 + events.size(), EventKind.RESTORE, vm.as(), atMicros, data));
        }
        return events;
    }
}
