package io.hotsnap.lab;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostCommand;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.TestLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lab's guests are real and alive: running per QMP, ticking, streaming TCP to each other. */
@ExtendWith(TestLab.class)
class LabGuestIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void statusListsEveryVmRunningWithItsFilesAndAccelerator(Lab lab) throws Exception {
        List<String> offered = HostCommand.run(List.of("qemu-system-x86_64", "-accel", "help"), WAIT).stdout().lines().skip(1).toList();
        List<LabVmStatus> vms = lab.status();
        assertEquals(TestLab.VMS, vms.size());
        for (LabVmStatus vm : vms) {
            assertEquals("running", vm.state(), vm.name());
            assertTrue(ProcessHandle.of(vm.pid()).map(ProcessHandle::isAlive).orElse(false), vm.name() + " pid");
            assertTrue(Files.exists(Path.of(vm.qmp())), vm.qmp());
            assertTrue(Files.isRegularFile(Path.of(vm.disk())), vm.disk());
            assertEquals(256, vm.memoryMiB());
            // Which one auto picks depends on the host: TCG where /dev/kvm is PVM, as on the machines
            // we develop on (STACK.md, QEMU), KVM on a real KVM host. Either way QEMU must offer it and run with it.
            assertTrue(offered.contains(vm.accel()), vm.name() + " runs on " + vm.accel() + ", not among QEMU's " + offered);
            try (QmpClient qmp = new QmpClient(Path.of(vm.qmp()), Timeouts.defaults())) {
                qmp.connect(WAIT);
                assertEquals(vm.accel().equals("kvm"), qmp.call("query-kvm", null, WAIT).path("enabled").asBoolean(),
                        vm.name() + " reports " + vm.accel() + " but QEMU says otherwise");
            }
        }
    }

    @Test
    void everyGuestKeepsTicking(Lab lab) throws InterruptedException {
        List<LabVmStatus> vms = lab.status();
        long start = System.nanoTime();
        Map<String, Long> before = ticks(vms);
        Thread.sleep(3000); // the window the rate is measured over, not a wait for something
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
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Long> tx = TestLab.tapBytes(vms, "tx_bytes");
            Map<String, Long> rx = TestLab.tapBytes(vms, "rx_bytes");
            boolean all = txBefore.keySet().stream().allMatch(t -> tx.get(t) - txBefore.get(t) > 100_000 && rx.get(t) - rxBefore.get(t) > 100_000);
            assertTrue(all, "streams did not all flow: received " + diff(tx, txBefore) + ", sent " + diff(rx, rxBefore));
        });
    }

    private static Map<String, Long> diff(Map<String, Long> now, Map<String, Long> before) {
        return now.keySet().stream().collect(Collectors.toMap(Function.identity(), k -> now.get(k) - before.get(k)));
    }

    private static Map<String, Long> ticks(List<LabVmStatus> vms) {
        return vms.stream().collect(Collectors.toMap(LabVmStatus::name,
                vm -> SerialLog.lastTick(Path.of(vm.serialLog())).orElseThrow()));
    }
}
