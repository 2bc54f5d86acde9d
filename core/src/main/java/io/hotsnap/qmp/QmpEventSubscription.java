package io.hotsnap.qmp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of the events that pass one filter. Subscribe before sending the command whose
 * event you wait for, then {@link #await} it. The reader thread never waits for a subscriber: when the
 * queue is full the oldest event is dropped and counted. When the connection ends, the events already
 * queued can still be taken; after them every wait fails with {@link QmpDisconnectedException}.
 */
public final class QmpEventSubscription implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QmpEventSubscription.class);

    private final Predicate<QmpEvent> filter;
    private final int capacity;
    private final Consumer<QmpEventSubscription> unregister;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<QmpEvent> queue;
    private long dropped;
    /** Set from the first drop until the subscriber takes an event: one warning per overflow, not per loss. */
    private boolean overflowing;
    private QmpDisconnectedException endedBy;
    private boolean closed;

    QmpEventSubscription(Predicate<QmpEvent> filter, int capacity, Consumer<QmpEventSubscription> unregister) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.filter = filter;
        this.capacity = capacity;
        this.unregister = unregister;
        this.queue = new ArrayDeque<>(Math.min(capacity, 64));
    }

    /** Called on the reader thread: queues the event if it passes the filter, never blocks. */
    void offer(QmpEvent event) {
        if (!filter.test(event)) {
            return;
        }
        String lostName = null;
        long droppedSoFar = 0;
        lock.lock();
        try {
            if (closed || endedBy != null) {
                return;
            }
            if (queue.size() == capacity) {
                QmpEvent lost = queue.pollFirst();
                dropped++;
                if (!overflowing) {
                    overflowing = true;
                    lostName = lost.name();
                    droppedSoFar = dropped;
                }
            }
            queue.addLast(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (lostName != null) {
            LOG.warn("Event subscriber too slow: queue of {} full, dropping oldest events (first: {}, {} dropped so far)",
                    capacity, lostName, droppedSoFar);
        }
    }

    /**
     * The next event, waiting up to {@code timeout}; empty if none came in time.
     *
     * @throws QmpDisconnectedException once the connection ended and every queued event was taken
     * @throws IllegalStateException    after {@link #close()}
     */
    public Optional<QmpEvent> poll(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("event subscription is closed");
                }
                QmpEvent event = queue.pollFirst();
                if (event != null) {
                    overflowing = false;
                    return Optional.of(event);
                }
                if (endedBy != null) {
                    throw endedBy;
                }
                if (remaining <= 0) {
                    return Optional.empty();
                }
                remaining = changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for a QMP event", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes events until one matches {@code match} and returns it; the events before it are
     * discarded.
     *
     * @throws QmpTimeoutException      if none matched within {@code timeout}
     * @throws QmpDisconnectedException if the connection ended first
     */
    public QmpEvent await(Predicate<QmpEvent> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<QmpEvent> event = poll(Duration.ofNanos(deadline - System.nanoTime()));
            if (event.isEmpty()) {
                throw new QmpTimeoutException("no matching QMP event within " + timeout);
            }
            if (match.test(event.get())) {
                return event.get();
            }
        }
    }

    /** Events lost because the queue was full. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the subscription: no more events are queued, and waits fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        unregister.accept(this);
    }

    /** The connection ended: wake every waiter once the queue is drained. */
    void end(QmpDisconnectedException reason) {
        lock.lock();
        try {
            endedBy = reason;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
