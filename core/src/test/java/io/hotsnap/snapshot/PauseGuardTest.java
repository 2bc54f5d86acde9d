package io.hotsnap.snapshot;

import static org.awaitility.Awaitility.await;
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
            await("the guard fires").atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> guard.mayHaveResumed(Long.MAX_VALUE));
            assertFalse(guard.mayHaveResumed(resume.timestampMicros()));
        }
    }

    @Test
    void aGuardClosedBeforeItsDeadlineNeitherResumesTheVmNorClaimsAResume() throws Exception {
        try (BareQemu qemu = BareQemu.start(); QmpClient qmp = qemu.connect()) {
            PauseGuard guard = new PauseGuard(qmp, "bare", Duration.ofMillis(100));
            guard.close();
            // Three times its deadline: a guard that was not closed would have fired by then.
            await("the closed guard stays silent").during(Duration.ofMillis(300)).atMost(WAIT)
                    .until(() -> !guard.mayHaveResumed(Long.MAX_VALUE));
            assertEquals("prelaunch", status(qmp));
        }
    }

    private static String status(QmpClient qmp) {
        return qmp.call("query-status", null, WAIT).path("status").asText();
    }
}
