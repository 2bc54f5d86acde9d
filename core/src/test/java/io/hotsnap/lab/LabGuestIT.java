package io.hotsnap.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.testing.TestLab;
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
        List<LabVmStatus> vms = lab.status();
        long start = System.nanoTime();
        Map<String, Long> before = ticks(vms);
        Thread.sleep(3000);
        Map<String, Long> after = ticks(vms);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (String vm : before.keySet()) {
            double perSecond = (after.get(vm) - before.get(vm)) / seconds;
            // 10 ticks/s by the guest's schedule, fewer when TCG is starved on a shared 2-core
            // machine, never more: a late tick is skipped, not caught up.
            assertTrue(perSecond >= 1 && perSecond <= 11, vm + " ticked " + perSecond + "/s");
        }
    }

    @Test
    void everyGuestStreamsTcpToItsNeighbour(Lab lab) throws Exception {
        // tap tx = into the guest (what its sink receives), rx = out of it (what it sends). A guest
        // restored by another test reconnects within seconds, so each gets up to 20 s to show 100 kB.
        List<LabVmStatus> vms = lab.status();
        Map<String, Long> txBefore = TestLab.tapBytes(vms, "tx_bytes");
        Map<String, Long> rxBefore = TestLab.tapBytes(vms, "rx_bytes");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (true) {
            Map<String, Long> tx = TestLab.tapBytes(vms, "tx_bytes");
            Map<String, Long> rx = TestLab.tapBytes(vms, "rx_bytes");
            boolean all = txBefore.keySet().stream().allMatch(t -> tx.get(t) - txBefore.get(t) > 100_000 && rx.get(t) - rxBefore.get(t) > 100_000);
            if (all) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "streams did not all flow: received " + diff(tx, txBefore) + ", sent " + diff(rx, rxBefore));
            Thread.sleep(500);
        }
    }

    private static Map<String, Long> diff(Map<String, Long> now, Map<String, Long> before) {
        return now.keySet().stream().collect(Collectors.toMap(Function.identity(), k -> now.get(k) - before.get(k)));
    }

    private static Map<String, Long> ticks(List<LabVmStatus> vms) {
        return vms.stream().collect(Collectors.toMap(LabVmStatus::name,
                vm -> SerialLog.lastTick(Path.of(vm.serialLog())).orElseThrow()));
    }
}
