package io.hotsnap.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the queue hands bursts to the FX thread: in order, within a time budget per FX turn. */
class UpdateQueueTest {

    /** Written on the FX thread only. */
    private final List<Integer> applied = new ArrayList<>();
    private final List<Integer> appliedAtEachEnd = new ArrayList<>();
    private int appliedWhenOtherWorkRan = -1;

    @BeforeAll
    static void fx() throws Exception {
        Fx.start();
    }

    private UpdateQueue<Integer> queue(Duration minInterval, Duration budget, long stepMillis) {
        return new UpdateQueue<>(minInterval, Duration.ZERO, budget, item -> {
            if (applied.isEmpty()) {
                // Other FX work waiting behind the batch: it runs as soon as the batch yields.
                Platform.runLater(() -> appliedWhenOtherWorkRan = applied.size());
            }
            applied.add(item);
            sleep(stepMillis); // what applying one item costs: the scenario, not a wait
        }, () -> appliedAtEachEnd.add(applied.size()));
    }

    private void addAll(UpdateQueue<Integer> queue, int n) throws Exception {
        // From the FX thread, so that the whole burst is queued before the first drain runs.
        Fx.call(() -> {
            IntStream.range(0, n).forEach(queue::add);
            return null;
        });
    }

    @Test
    void aBurstLongerThanTheBudgetLetsOtherFxWorkInAndEndsOnceWithEveryItemInOrder() throws Exception {
        UpdateQueue<Integer> queue = queue(Duration.ofSeconds(1), Duration.ofMillis(8), 3);
        addAll(queue, 12);

        Fx.waitUntil("the batch ends", () -> !appliedAtEachEnd.isEmpty());
        Fx.call(() -> {
            assertEquals(IntStream.range(0, 12).boxed().toList(), applied);
            assertEquals(List.of(12), appliedAtEachEnd, "one end, after every item");
            assertTrue(appliedWhenOtherWorkRan > 0 && appliedWhenOtherWorkRan < 12,
                    "other FX work ran after " + appliedWhenOtherWorkRan + " of 12 items");
            return null;
        });
        assertEquals(1, queue.applications());
    }

    @Test
    void aBurstWithinTheBudgetIsOneFxTurn() throws Exception {
        UpdateQueue<Integer> queue = queue(Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
        addAll(queue, 50);

        Fx.waitUntil("the batch ends", () -> !appliedAtEachEnd.isEmpty());
        Fx.call(() -> {
            assertEquals(List.of(50), appliedAtEachEnd);
            assertEquals(50, appliedWhenOtherWorkRan, "nothing ran in between");
            return null;
        });
    }

    @Test
    void aBatchLongerThanTheIntervalShowsWhatItHasAndGoesOnAsTheNextBatch() throws Exception {
        UpdateQueue<Integer> queue = queue(Duration.ofMillis(20), Duration.ofMillis(8), 3);
        addAll(queue, 30);

        Fx.waitUntil("every item is applied and shown", () -> appliedAtEachEnd.contains(30));
        Fx.call(() -> {
            assertEquals(IntStream.range(0, 30).boxed().toList(), applied);
            assertTrue(appliedAtEachEnd.size() >= 2 && appliedAtEachEnd.get(0) < 30, "ends after " + appliedAtEachEnd);
            return null;
        });
        assertEquals(appliedAtEachEnd.size(), queue.applications());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
