package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.vm.VmInfo;
import io.hotsnap.vm.VmRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's inventory shows QEMU's own -name beside the socket's and picks a VM by either. */
class VmEntryNamesTest {

    private static VmEntry vm(String name, String qemuName) {
        return new VmEntry("h1", new VmInfo(name, "/run/hotsnap/" + name + ".qmp", 42L, "running", 256L << 20, "7.2.22", List.of(),
                List.of(), null, VmRef.SOCKET, null, null, null, qemuName));
    }

    @Test
    void labelShowsQemusNameBesideTheSocketNameWhenTheyDiffer() {
        assertEquals("vm7 (web-frontend)", vm("vm7", "web-frontend").label());
        assertEquals("lab1", vm("lab1", "lab1").label());
        assertEquals("lab1", vm("lab1", null).label());
    }

    @Test
    void hostSlashEitherNameSelectsTheVm() {
        VmEntry vm = vm("vm7", "web-frontend");
        assertTrue(vm.isNamed("h1/vm7"));
        assertTrue(vm.isNamed("h1/web-frontend"));
        assertFalse(vm.isNamed("h2/web-frontend"), "another host's VM of that name");
        assertFalse(vm.isNamed("web-frontend"), "no host");
    }
}
