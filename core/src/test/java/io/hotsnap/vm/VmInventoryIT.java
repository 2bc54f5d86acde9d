package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.FakeQemu;
import io.hotsnap.testing.TestLab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestLab.class)
class VmInventoryIT {

    @Test
    void labVmsAreFoundThroughTheirSocketsLikeAnyOtherQemu(Lab lab) {
        Map<String, VmInfo> found = new VmInventory(lab.config().socketDir(), Timeouts.defaults()).list().stream()
                .collect(Collectors.toMap(VmInfo::name, Function.identity()));
        for (LabVmStatus labVm : lab.status()) {
            VmInfo vm = found.get(labVm.name());
            assertNotNull(vm, labVm.name() + " not in the inventory: " + found.keySet());
            assertNull(vm.error());
            assertEquals(labVm.pid(), vm.pid());
            assertEquals("running", vm.state());
            assertEquals(256L << 20, vm.memoryBytes());
            assertTrue(vm.qemuVersion().startsWith("7.2") || vm.qemuVersion().matches("\\d+\\..*"), vm.qemuVersion());
            assertEquals(List.of(new DiskInfo("disk0", labVm.name() + "-disk0", labVm.disk(), "qcow2", 16L << 20)), vm.disks());
            assertEquals(1, vm.nics().size());
            NicInfo nic = vm.nics().get(0);
            assertEquals("tap", nic.backend());
            assertEquals("net0", nic.netdev());
            assertFalse(nic.vhost(), "the lab's NICs must be visible to QEMU's net filters");
        }
    }

    @Test
    void socketNobodyAnswersIsListedWithTheReason(@TempDir Path dir) throws Exception {
        Path stale = dir.resolve("ghost.qmp");
        FakeQemu.stale(stale);

        List<VmInfo> vms = new VmInventory(dir, Timeouts.defaults()).list();

        assertEquals(1, vms.size());
        assertEquals("ghost", vms.get(0).name());
        assertEquals("unreachable", vms.get(0).state());
        assertTrue(vms.get(0).error().contains("no QEMU process serves this socket"), vms.get(0).error());
    }
}
