package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HotEligibilityTest {

    private static VmInfo vm(String state, String qemu, boolean vhost) {
        List<NicInfo> nics = List.of(new NicInfo("net0", "virtio-net-pci", "52:54:00:00:00:01", "net0", "tap", "tap0", vhost));
        return new VmInfo("web1", "/run/web1.qmp", 42L, state, 256L << 20, qemu, List.of(), nics, null, "socket", null, null,
                HoldVisibility.whyUnseen("web1", nics, List.of()), null);
    }

    @Test
    void aRunningQemu7VmWithoutVhostIsEligibleAndHoldable() {
        assertEquals(List.of(), HotEligibility.problems(vm("running", "7.2.19", false)));
        assertEquals(java.util.Optional.empty(), HotEligibility.holdRefusal(vm("running", "7.2.19", false)));
    }

    @Test
    void vhostNetIsEligibleButHoldModeRefusesItNamingAutoAndBarrier() {
        assertEquals(List.of(), HotEligibility.problems(vm("running", "7.2.19", true)));
        String refusal = HotEligibility.holdRefusal(vm("running", "7.2.19", true)).orElseThrow();
        assertTrue(refusal.contains("NIC net0") && refusal.contains("vhost") && refusal.contains("--mode auto or barrier"), refusal);
    }

    @Test
    void qemuOlderThanSixHasNoBackgroundSnapshot() {
        assertTrue(HotEligibility.problems(vm("running", "5.2.0", false)).get(0).contains("background-snapshot"));
    }

    @Test
    void aShutDownVmIsNotEligible() {
        assertTrue(HotEligibility.problems(vm("shutdown", "7.2.19", false)).get(0).contains("shutdown"));
    }

    @Test
    void anUnreachableVmGivesItsErrorOnly() {
        VmInfo dead = VmInfo.unreachable(new VmRef("db", VmRef.SOCKET, null, null, null, null), "/run/db.qmp", null, "connection refused");
        assertEquals(List.of("QMP does not answer: connection refused"), HotEligibility.problems(dead));
    }

    @Test
    void versionsAreComparedByMajorThenMinorAndUnreadableOnesAreUnknown() {
        assertEquals(java.util.Optional.of(true), Versions.atLeast("6.1.0-28-amd64", 5, 7));
        assertEquals(java.util.Optional.of(false), Versions.atLeast("5.4.0", 5, 7));
        assertEquals(java.util.Optional.of(true), Versions.atLeast("10.0", 6, 0));
        assertEquals(java.util.Optional.empty(), Versions.atLeast("git-master", 6, 0));
    }
}
