package io.hotsnap.qmp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.TestLab;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The QMP client against a lab guest that is really running: a pause is a pause. */
@ExtendWith(TestLab.class)
class QmpLabIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void stopFreezesTheGuestsTicksUntilContWithStopAndResumeStampedByQemu(Lab lab) throws Exception {
        LabVmStatus vm = lab.status().stream().filter(v -> v.name().equals("it2")).findFirst().orElseThrow();
        Path log = Path.of(vm.serialLog());
        try (QmpClient qmp = new QmpClient(Path.of(vm.qmp()), Timeouts.defaults());
             QmpEventSubscription events = subscribe(qmp)) {
            try {
                qmp.call("stop", null, WAIT);
                QmpEvent stop = events.await(e -> e.name().equals("STOP"), WAIT);
                assertEquals("paused", qmp.call("query-status", null, WAIT).path("status").asText());
                long frozenAt = SerialLog.lastTick(log).orElseThrow();
                // A second at least: QEMU's stamps below must show a pause that long.
                await("a paused guest prints no tick").during(Duration.ofSeconds(1)).atMost(WAIT)
                        .until(() -> SerialLog.lastTick(log).orElseThrow() == frozenAt);

                qmp.call("cont", null, WAIT);
                QmpEvent resume = events.await(e -> e.name().equals("RESUME"), WAIT);
                long pausedMicros = resume.timestampMicros() - stop.timestampMicros();
                assertTrue(pausedMicros >= 1_000_000 && pausedMicros < 30_000_000, "QEMU's stamps say paused for " + pausedMicros + " µs");
            } finally {
                qmp.call("cont", null, WAIT);
            }
            long resumedAt = SerialLog.lastTick(log).orElseThrow();
            GuestLog.awaitTick(log, resumedAt + 1, Duration.ofMillis(1500), "the guest ticks again after cont");
        }
    }

    @Test
    void errorReplyCarriesQemusClassAndLeavesTheGuestRunning(Lab lab) {
        LabVmStatus vm = lab.status().stream().filter(v -> v.name().equals("it2")).findFirst().orElseThrow();
        try (QmpClient qmp = new QmpClient(Path.of(vm.qmp()), Timeouts.defaults())) {
            qmp.connect(WAIT);
            QmpExecuteException e = assertThrows(QmpExecuteException.class,
                    () -> qmp.call("blockdev-del", java.util.Map.of("node-name", "no-such-node"), WAIT));
            assertEquals("GenericError", e.errorClass());
            assertEquals("running", qmp.call("query-status", null, WAIT).path("status").asText());
        }
    }

    private static QmpEventSubscription subscribe(QmpClient qmp) {
        qmp.connect(WAIT);
        return qmp.subscribe(e -> e.name().equals("STOP") || e.name().equals("RESUME"), 16);
    }
}
