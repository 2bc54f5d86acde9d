package io.hotsnap.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Captures kept for the coordinator's traffic request, by id. One not claimed within
 * {@link #KEPT} is thrown away; whoever takes it first (the request, the timer, an abort) owns it.
 */
final class UnclaimedCaptures<T> {

    /** A committed snapshot's (or resumed restore's) capture waits this long for the coordinator's request. */
    static final Duration KEPT = Duration.ofMinutes(2);

    private final Map<String, T> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Consumer<T> discard;

    UnclaimedCaptures(ScheduledExecutorService timer, Consumer<T> discard) {
        this.timer = timer;
        this.discard = discard;
    }

    void keep(String id, T capture) {
        waiting.put(id, capture);
        timer.schedule(() -> drop(id), KEPT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The capture kept under {@code id}, now the caller's; null when there is none (any more). */
    T claim(String id) {
        return waiting.remove(id);
    }

    void drop(String id) {
        T unclaimed = waiting.remove(id);
        if (unclaimed != null) {
            discard.accept(unclaimed);
        }
    }

    void dropAll() {
        List.copyOf(waiting.keySet()).forEach(this::drop);
    }
}
