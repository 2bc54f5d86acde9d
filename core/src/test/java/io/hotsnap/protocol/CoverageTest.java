package io.hotsnap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotsnap.vm.NicInfo;
import io.hotsnap.vm.VmInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How each mode covers a VM, from its inventory: auto holds what the hold can see and covers the rest by barrier. */
class CoverageTest {

    private static VmInfo vm(String holdUnseen) {
        return new VmInfo("web", "/run/web.qmp", 7L, "running", 1L << 28, "7.2.22", List.of(),
                List.of(new NicInfo("net0", "virtio-net-pci", "52:54:00:00:00:01", "net0", "tap", "tap0", holdUnseen != null)), null,
                "socket", null, null, holdUnseen, null);
    }

    @Test
    void autoHoldsAVmTheHoldCanSeeAndCoversTheOtherByBarrierSayingWhy() {
        assertEquals(Optional.of(Coverage.hold()), Coverage.of(ClusterMode.AUTO, vm(null)));
        Coverage unseen = Coverage.of(ClusterMode.AUTO, vm("NIC net0 uses vhost")).orElseThrow();
        assertEquals("covered by barrier: NIC net0 uses vhost", unseen.text());
        assertEquals("covered by hold", Coverage.hold().text());
    }

    @Test
    void holdAndBarrierCoverEveryVmTheirOwnWayAndTheOtherModesNone() {
        assertEquals(Optional.of(Coverage.hold()), Coverage.of(ClusterMode.HOLD, vm(null)));
        assertEquals(Coverage.BARRIER, Coverage.of(ClusterMode.BARRIER, vm(null)).orElseThrow().by());
        for (ClusterMode m : List.of(ClusterMode.INDEPENDENT, ClusterMode.PRECOPY, ClusterMode.STOPCOPY)) {
            assertEquals(Optional.empty(), Coverage.of(m, vm("NIC net0 uses vhost")), m.cliName());
        }
    }

    @Test
    void anAutoHoldRequestBoundsItsPausesApartOnTheWire() {
        assertEquals("{\"v\":1,\"type\":\"hold\",\"id\":5,\"snapshotId\":\"s1\",\"deadlineMillis\":10000,\"pauseMillis\":2000}",
                ProtocolCodec.encode(new Envelope(5, new Request.Hold("s1", 10_000, 2_000L))));
    }
}
