package io.hotsnap.net;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.qmp.BareQemu;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.TestLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inbound hold on a real guest: it1 streams TCP into it2. Holding it2's inbound traffic keeps
 * it1's data from reaching it2, so no ACKs come back and it1 stops sending once its window is out;
 * releasing the hold delivers the queue and the stream goes on.
 */
@ExtendWith(TestLab.class)
class InboundHoldIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static LabVmStatus vm(Lab lab, String name) {
        return lab.status().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    /** Bytes it1 sent in {@code window}, read from its tap on the host. */
    private static long sentBy(LabVmStatus sender, Duration window) throws Exception {
        long before = TestLab.tapBytes(sender.tap(), "rx_bytes");
        Thread.sleep(window.toMillis()); // the measured window, not a wait
        return TestLab.tapBytes(sender.tap(), "rx_bytes") - before;
    }

    @Test
    void holdStallsTheStreamIntoTheVmAndReleaseLetsItFlowAgain(Lab lab) throws Exception {
        LabVmStatus sender = vm(lab, "it1");
        try (QmpClient qmp = new QmpClient(Path.of(vm(lab, "it2").qmp()), Timeouts.defaults())) {
            qmp.connect(WAIT);
            try (InboundHold hold = new InboundHold(qmp, "net0", WAIT)) {
                hold.install(Duration.ofSeconds(30));
                long free = sentBy(sender, Duration.ofSeconds(2));

                hold.on();
                Thread.sleep(500); // the window in flight drains
                long held = sentBy(sender, Duration.ofSeconds(2));
                hold.off();

                long released = sentBy(sender, Duration.ofSeconds(3));
                assertTrue(free > 100_000, "no stream to begin with: " + free + " B in 2 s");
                assertTrue(held * 5 < free, "the hold did not stall the sender: " + held + " B held vs " + free + " B free");
                assertTrue(released > 100_000, "the stream did not come back after release: " + released + " B in 3 s");
            }
            assertTrue(qmp.call("qom-list", java.util.Map.of("path", "/objects"), WAIT).toString().indexOf("hotsnap-hold") < 0,
                    "the filter was left in the VM");
        }
    }

    @Test
    void forgottenHoldStillDeliversAtItsDeadline(Lab lab) throws Exception {
        LabVmStatus sender = vm(lab, "it1");
        try (QmpClient qmp = new QmpClient(Path.of(vm(lab, "it2").qmp()), Timeouts.defaults());
             InboundHold hold = connectAndInstall(qmp, Duration.ofMillis(500))) {
            hold.on();
            // Nobody releases: QEMU flushes the queue every 500 ms by itself, so data still flows.
            long sent = sentBy(sender, Duration.ofSeconds(4));
            assertTrue(sent > 50_000, "a forgotten hold cut the VM off: " + sent + " B in 4 s");
        }
    }

    @Test
    void multiqueueNicIsRefusedWithQemusReasonAndTheFallback() throws Exception {
        String tap = "hs-mq-test";
        HostCommand.check(List.of("ip", "tuntap", "add", "dev", tap, "mode", "tap", "multi_queue"), WAIT);
        try (BareQemu qemu = BareQemu.start("-netdev", "tap,id=net0,ifname=" + tap + ",script=no,downscript=no,vhost=off,queues=2",
                "-device", "virtio-net-pci,netdev=net0,mq=on,vectors=6");
             QmpClient qmp = qemu.connect()) {
            HoldException e = assertThrows(HoldException.class, () -> new InboundHold(qmp, "net0", WAIT).install(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("multiqueue is not supported") && e.getMessage().contains("barrier mode"), e.getMessage());
        } finally {
            HostCommand.run(List.of("ip", "link", "del", tap), WAIT);
        }
    }

    private static InboundHold connectAndInstall(QmpClient qmp, Duration deadline) {
        qmp.connect(WAIT);
        InboundHold hold = new InboundHold(qmp, "net0", WAIT);
        hold.install(deadline);
        return hold;
    }
}
