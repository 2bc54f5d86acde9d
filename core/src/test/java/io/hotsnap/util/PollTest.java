package io.hotsnap.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void aConditionThatHoldsAtOnceIsAskedOnce() {
        AtomicInteger asked = new AtomicInteger();

        assertTrue(Poll.every(Duration.ofSeconds(10), Duration.ofSeconds(10)).until(() -> asked.incrementAndGet() > 0));
        assertEquals(1, asked.get());
    }

    @Test
    void theConditionIsAskedAgainUntilItHolds() {
        AtomicInteger asked = new AtomicInteger();

        Optional<Integer> found = Poll.every(Duration.ofMillis(1), Duration.ofSeconds(10))
                .value(() -> asked.incrementAndGet() == 3 ? Optional.of(asked.get()) : Optional.empty());

        assertEquals(Optional.of(3), found);
    }

    @Test
    void aConditionThatNeverHoldsEndsOnceTheTimeIsUpAfterALastAsk() {
        AtomicInteger asked = new AtomicInteger();
        long start = System.nanoTime();

        assertFalse(Poll.every(Duration.ofMillis(5), Duration.ofMillis(50)).until(() -> asked.incrementAndGet() < 0));

        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos());
        assertTrue(asked.get() >= 2, "asked " + asked.get() + " times");
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        Thread.currentThread().interrupt();
        try {
            assertFalse(Poll.every(Duration.ofSeconds(1), Duration.ofMinutes(1)).until(() -> false));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
