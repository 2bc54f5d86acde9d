package io.hotsnap.agent;

import io.hotsnap.settings.Waits;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Captures kept for the coordinator's traffic request, by id. One not claimed within
 * {@link io.hotsnap.settings.Waits#UNCLAIMED_CAPTURE} is thrown away; whoever takes it first (the request, the timer, an abort) owns it.
 */
final class UnclaimedCaptures<T> {


    private final Map<String, T> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Consumer<T> discard;

    UnclaimedCaptures(ScheduledExecutorService timer, Consumer<T> discard) {
        this.timer = timer;
        this.discard = discard;
    }

    void keep(String id, T capture) {
        waiting.put(id, capture);
        timer.schedule(() -> drop(id), Waits.UNCLAIMED_CAPTURE.toMillis(), TimeUnit.MILLISECONDS);
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
