package io.hotsnap.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static void awaitStopped(long pid, boolean wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessState.stopped(pid) != wanted) {
            assertTrue(System.nanoTime() < deadline, "pid " + pid + " stopped should be " + wanted);
            Thread.sleep(10);
        }
    }
}
