package io.hotsnap.util;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * Calls sent over one connection and not yet answered, by id (QMP commands, agent requests). A call
 * leaves the table when its reply is taken, when its deadline passes, or when the caller cancels it;
 * a reply for an id no longer here finds nothing.
 *
 * @param <V> what a reply completes the caller's future with
 */
public final class PendingCalls<V> {

    /** The failure of a call that got no reply within its timeout. */
    public interface TimeoutFailure {
        RuntimeException of(String name, long id, Duration timeout);
    }

    /** One call waiting: its name (command or request type), for messages, and the caller's future. */
    public record Call<V>(String name, CompletableFuture<V> future) {
    }

    private final TimeoutFailure timeoutFailure;
    private final Executor timeoutCompletion;
    private final Map<Long, Call<V>> byId = new ConcurrentHashMap<>();
    /** Guarded by {@code this}. */
    private long lastId;
    /** Set once the connection ended; later calls fail with it at once. Guarded by {@code this}. */
    private RuntimeException endedBy;

    /**
     * @param timeoutCompletion where a call's future is failed when its deadline passes, and so where
     *                          stages chained on it without {@code ...Async} run: {@code Runnable::run}
     *                          for the shared timer thread itself (such stages must not block)
     */
    public PendingCalls(TimeoutFailure timeoutFailure, Executor timeoutCompletion) {
        this.timeoutFailure = timeoutFailure;
        this.timeoutCompletion = timeoutCompletion;
    }

    /**
     * A fresh id for a call named {@code name}, whose future fails after {@code timeout}. When the
     * connection has already ended, the future is failed at once and nothing should be sent.
     */
    public long register(String name, CompletableFuture<V> future, Duration timeout) {
        long id;
        RuntimeException ended;
        synchronized (this) {
            ended = endedBy;
            id = ++lastId;
            if (ended == null) {
                byId.put(id, new Call<>(name, future));
            }
        }
        if (ended != null) {
            future.completeExceptionally(ended);
            return id;
        }
        // A deadline that fires after the reply finds the future done; one that is cancelled leaves no timer behind.
        ScheduledFuture<?> deadline = Deadlines.after(timeout, () -> timeoutCompletion.execute(
                () -> future.completeExceptionally(timeoutFailure.of(name, id, timeout))));
        future.whenComplete((result, failure) -> {
            deadline.cancel(false);
            byId.remove(id);
        });
        return id;
    }

    /** The call waiting for the reply with {@code id}, taken out of the table; empty if it timed out or was cancelled. */
    public Optional<Call<V>> take(long id) {
        return Optional.ofNullable(byId.remove(id));
    }

    /** Fails every call still waiting, and every later one, with {@code reason}. */
    public void endAll(RuntimeException reason) {
        List<Call<V>> waiting;
        synchronized (this) {
            endedBy = reason;
            waiting = new ArrayList<>(byId.values());
            byId.clear();
        }
        waiting.forEach(call -> call.future().completeExceptionally(reason));
    }
}
