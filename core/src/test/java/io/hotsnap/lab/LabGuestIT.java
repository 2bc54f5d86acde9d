package io.hotsnap.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.testing.TestLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lab's guests are real and alive: running per QMP, ticking, streaming TCP to each other. */
@ExtendWith(TestLab.class)
class LabGuestIT {

    @Test
    void statusListsEveryVmRunningWithItsFilesAndAccelerator(Lab lab) {
        List<LabVmStatus> vms = lab.status();
        assertEquals(TestLab.VMS, vms.size());
        for (LabVmStatus vm : vms) {
            assertEquals("running", vm.state(), vm.name());
            assertTrue(ProcessHandle.of(vm.pid()).map(ProcessHandle::isAlive).orElse(false), vm.name() + " pid");
            assertTrue(Files.exists(Path.of(vm.qmp())), vm.qmp());
            assertTrue(Files.isRegularFile(Path.of(vm.disk())), vm.disk());
            assertEquals(256, vm.memoryMiB());
            assertEquals("tcg", vm.accel(), "this machine's /dev/kvm is PVM: auto must choose TCG");
        }
    }

    @Test
    void everyGuestKeepsTicking(Lab lab) throws InterruptedException {
        Map<String, Long> before = ticks(lab);
        Thread.sleep(2000);
        Map<String, Long> after = ticks(lab);
        for (String vm : before.keySet()) {
            long advanced = after.get(vm) - before.get(vm);
            // 100 ms ticks, slowed by TCG on a shared 2-core machine: well above zero, at most 20.
            assertTrue(advanced >= 3 && advanced <= 21, vm + " advanced " + advanced + " ticks in 2 s");
        }
    }

    @Test
    void everyGuestStreamsTcpToItsNeighbour(Lab lab) throws Exception {
        Map<String, Long> before = tapBytes(lab, "tx_bytes");
        Map<String, Long> rxBefore = tapBytes(lab, "rx_bytes");
        Thread.sleep(3000);
        Map<String, Long> after = tapBytes(lab, "tx_bytes");
        Map<String, Long> rxAfter = tapBytes(lab, "rx_bytes");
        for (String tap : before.keySet()) {
            // tap tx = into the guest (what its sink receives), rx = out of it (what it sends).
            assertTrue(after.get(tap) - before.get(tap) > 100_000, tap + " received only " + (after.get(tap) - before.get(tap)) + " B in 3 s");
            assertTrue(rxAfter.get(tap) - rxBefore.get(tap) > 100_000, tap + " sent only " + (rxAfter.get(tap) - rxBefore.get(tap)) + " B in 3 s");
        }
    }

    private static Map<String, Long> ticks(Lab lab) {
        return lab.status().stream().collect(Collectors.toMap(LabVmStatus::name,
                vm -> SerialLog.lastTick(Path.of(vm.serialLog())).orElseThrow()));
    }

    private static Map<String, Long> tapBytes(Lab lab, String counter) {
        return lab.status().stream().map(LabVmStatus::tap).collect(Collectors.toMap(Function.identity(), tap -> {
            try {
                return Long.parseLong(Files.readString(TestLab.tapStatistics(tap, counter)).strip());
            } catch (IOException e) {
                throw new AssertionError("no counters for " + tap, e);
            }
        }));
    }
}
