package io.hotsnap.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.settings.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code lab up} and {@code lab down} leave the host exactly as they promise, on success and failure. */
class LabLifecycleIT {

    private final LabConfig config = LabConfig.defaults().withVms(1)
            .withDir(LabConfig.defaults().socketDir().resolve("lifecycle-lab"))
            .withIdentity("lc", "hsbr-lc", "10.79.0");
    private final Lab lab = new Lab(config, Timeouts.defaults());

    @AfterEach
    void removeWhateverIsLeft() {
        if (LabState.read(config.dir()).isPresent()) {
            lab.down(n -> { });
        }
    }

    @Test
    void upThenDownLeavesNoProcessNoLinkAndNoFile() {
        List<LabVmStatus> vms = lab.up(n -> { });
        assertEquals(1, vms.size());
        LabVmStatus vm = vms.get(0);
        assertTrue(LabNetwork.exists("hsbr-lc"));

        lab.down(n -> { });

        assertTrue(io.hotsnap.vm.QemuProcess.exited(vm.pid()), "QEMU still running");
        assertFalse(LabNetwork.exists("hsbr-lc"), "bridge left behind");
        assertFalse(LabNetwork.exists(vm.tap()), "tap left behind");
        for (String f : List.of(vm.qmp(), vm.serialLog(), vm.disk())) {
            assertFalse(Files.exists(Path.of(f)), f + " left behind");
        }
        assertFalse(Files.exists(config.dir()), "lab directory left behind");
    }

    @Test
    void secondUpIsRefusedAndLeavesTheRunningLabAlone() {
        LabVmStatus vm = lab.up(n -> { }).get(0);

        LabException e = assertThrows(LabException.class, () -> lab.up(n -> { }));

        assertEquals(LabException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("already up"), e.getMessage());
        assertEquals("running", lab.status().get(0).state());
        assertEquals(vm.pid(), lab.status().get(0).pid());
    }

    @Test
    void downWithNoLabIsRefused() {
        LabException e = assertThrows(LabException.class, () -> lab.down(n -> { }));
        assertEquals(LabException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().startsWith("no lab is up"), e.getMessage());
    }

    @Test
    void kernelThatCannotBeFoundFailsClearlyAndLeavesNothing() {
        Lab broken = new Lab(config.withKernel(Optional.of(Path.of("/nonexistent/vmlinuz")))
                .withDir(Path.of(System.getProperty("java.io.tmpdir"), "hotsnap-no-kernel-lab")), Timeouts.defaults());

        LabException e = assertThrows(LabException.class, () -> broken.up(n -> { }));

        assertTrue(e.getMessage().contains("/nonexistent/vmlinuz"), e.getMessage());
        assertFalse(LabNetwork.exists("hsbr-lc"), "bridge made before the failure was left behind");
        assertFalse(Files.exists(LabState.file(broken.config().dir())));
    }
}
