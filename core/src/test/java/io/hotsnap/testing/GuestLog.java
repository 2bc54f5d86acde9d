package io.hotsnap.testing;

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
    public static long firstTick(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> first = Files.readAllLines(log).stream().filter(l -> l.matches("tick \\d+")).findFirst();
            if (first.isPresent()) {
                return Long.parseLong(first.get().substring(5));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no tick in " + log + " within 30 s");
    }
}
