package io.hotsnap.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessStateTest {

    @Test
    void aProcessStoppedBySigstopIsSeenStoppedUntilItIsContinued() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertFalse(ProcessState.stopped(sleeper.pid()), "a sleeping process is not stopped");
            ProcessState.signal(sleeper.pid(), "STOP");
            awaitStopped(sleeper.pid(), true);
            ProcessState.signal(sleeper.pid(), "CONT");
            awaitStopped(sleeper.pid(), false);
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        assertFalse(ProcessState.stopped(sleeper.pid()), "a process gone is not stopped");
    }

    private static void awaitStopped(long pid, boolean wanted) {
        await("pid " + pid + " stopped should be " + wanted).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> ProcessState.stopped(pid) == wanted);
    }
}
