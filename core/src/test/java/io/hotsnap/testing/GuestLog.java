package io.hotsnap.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What a lab guest printed on its serial console. */
public final class GuestLog {

    private GuestLog() {
    }

    /**
     * The first complete {@code tick N} line, waiting up to 30 s for one. A restored QEMU truncates
     * the serial log, so after a restore this is the restored guest's first tick.
     */
    public static long firstTick(Path log) {
        String first = await("a tick in " + log).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.readAllLines(log).stream().filter(l -> l.matches("tick \\d+")).findFirst(), Optional::isPresent)
                .orElseThrow();
        return Long.parseLong(first.substring(5));
    }

    /**
     * Waits until the guest has printed tick {@code atLeast} (a tick every 100 ms while it runs);
     * fails the test as {@code what} with the last tick seen otherwise.
     */
    public static void awaitTick(Path log, long atLeast, Duration within, String what) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            long last = SerialLog.lastTick(log).orElse(-1);
            assertTrue(last >= atLeast, what + ": at tick " + last + ", not " + atLeast);
        });
    }
}
