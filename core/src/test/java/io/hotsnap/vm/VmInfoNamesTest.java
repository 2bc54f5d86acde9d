package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VmInfoNamesTest {

    private static VmInfo vm(String name, String qemuName) {
        return new VmInfo(name, "/run/hotsnap/" + name + ".qmp", 42L, "running", 256L << 20, "7.2.22", List.of(), List.of(), null,
                VmRef.SOCKET, null, null, null, qemuName);
    }

    @Test
    void vmIsNamedBySocketNameOrByQemusOwnName() {
        VmInfo vm = vm("vm7", "web-frontend");
        assertTrue(vm.isNamed("vm7"));
        assertTrue(vm.isNamed("web-frontend"));
        assertFalse(vm.isNamed("web"));
    }

    @Test
    void vmWithoutQemuNameAnswersToItsSocketNameOnly() {
        VmInfo vm = vm("vm7", null);
        assertTrue(vm.isNamed("vm7"));
        assertFalse(vm.isNamed("null"));
    }
}
