package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.qmp.BareQemu;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.qmp.QmpEventSubscription;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pause guard on a real QEMU (a bare one, paused from its start): whether its {@code cont}
 * may have been the resume decides whether a snapshot is kept, so a late timer alone must not.
 */
@Timeout(60)
class PauseGuardTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aGuardFiringOnAStillPausedVmResumesItAndOwnsThatResume() throws Exception {
        try (BareQemu qemu = BareQemu.start(); QmpClient qmp = qemu.connect();
             QmpEventSubscription resumes = qmp.subscribe(e -> e.name().equals("RESUME"), 4)) {
            PauseGuard guard = new PauseGuard(qmp, "bare", Duration.ofMillis(50));
            QmpEvent resume = resumes.await(e -> true, WAIT);
            assertTrue(guard.mayHaveResumed(resume.timestampMicros()));
            assertEquals("running", status(qmp));
        }
    }

    @Test
    void aResumeQemuStampedBeforeTheGuardFiredWasNotTheGuards() throws Exception {
        try (BareQemu qemu = BareQemu.start(); QmpClient qmp = qemu.connect();
             QmpEventSubscription resumes = qmp.subscribe(e -> e.name().equals("RESUME"), 4)) {
            qmp.call("cont", null, WAIT);
            QmpEvent resume = resumes.await(e -> true, WAIT);
            PauseGuard guard = new PauseGuard(qmp, "bare", Duration.ofMillis(1));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!guard.mayHaveResumed(Long.MAX_VALUE) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(guard.mayHaveResumed(Long.MAX_VALUE), "the guard never fired");
            assertFalse(guard.mayHaveResumed(resume.timestampMicros()));
        }
    }

    @Test
    void aGuardClosedBeforeItsDeadlineNeitherResumesTheVmNorClaimsAResume() throws Exception {
        try (BareQemu qemu = BareQemu.start(); QmpClient qmp = qemu.connect()) {
            PauseGuard guard = new PauseGuard(qmp, "bare", Duration.ofMillis(100));
            guard.close();
            Thread.sleep(300);
            assertFalse(guard.mayHaveResumed(Long.MAX_VALUE));
            assertEquals("prelaunch", status(qmp));
        }
    }

    private static String status(QmpClient qmp) {
        return qmp.call("query-status", null, WAIT).path("status").asText();
    }
}
