package io.hotsnap.util;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Asks a condition again every {@code every} until it holds or {@code within} has passed, for
 * states QEMU, the kernel or a child process report only when asked. An interrupt ends the wait
 * early, as a timeout does, and stays set for the caller.
 */
public record Poll(Duration every, Duration within) {

    public Poll {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(within, "within");
    }

    public static Poll every(Duration every, Duration within) {
        return new Poll(every, within);
    }

    /** True once {@code done} holds; false if the time ran out (or the thread was interrupted) first. */
    public boolean until(BooleanSupplier done) {
        return value(() -> done.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty()).isPresent();
    }

    /** The first value {@code probe} finds; empty if the time ran out (or the thread was interrupted) first. */
    public <T> Optional<T> value(Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent() || System.nanoTime() - deadline >= 0) {
                return found;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
