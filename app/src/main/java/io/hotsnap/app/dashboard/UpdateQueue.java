package io.hotsnap.app.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Items from any thread, applied on the FX thread in batches: at most one drain is pending, and
 * drains start at least {@code minInterval} apart, however fast items arrive (never one
 * {@code runLater} per item). A drain also waits {@code gather} after the item that asked for it:
 * items come in bursts (a cut's first events are every VM's HOLD_ON within a few ms), and one
 * batch per burst costs one table rebuild and one redraw instead of a tiny batch and then the rest.
 * Adding never blocks.
 */
final class UpdateQueue<T> {

    /** One daemon thread for every queue: it only delays the hand-over of a drain to the FX thread. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-drain-timer");
        t.setDaemon(true);
        return t;
    });

    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final AtomicLong applications = new AtomicLong();
    private final long minIntervalNanos;
    private final long gatherNanos;
    private final Consumer<List<T>> apply;
    /** As if the last drain were long ago, so the first one starts at once. */
    private volatile long lastDrainNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    UpdateQueue(Duration minInterval, Duration gather, Consumer<List<T>> apply) {
        this.minIntervalNanos = minInterval.toNanos();
        this.gatherNanos = gather.toNanos();
        this.apply = apply;
    }

    void add(T item) {
        items.add(item);
        if (drainPending.compareAndSet(false, true)) {
            long wait = Math.max(gatherNanos, lastDrainNanos + minIntervalNanos - System.nanoTime());
            if (wait <= 0) {
                Platform.runLater(this::drain);
            } else {
                TIMER.schedule(() -> Platform.runLater(this::drain), wait, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Batches applied so far (empty drains do not count). */
    long applications() {
        return applications.get();
    }

    private void drain() {
        lastDrainNanos = System.nanoTime();
        // Cleared before polling: an item added from now on schedules the next drain itself.
        drainPending.set(false);
        List<T> batch = new ArrayList<>();
        for (T item = items.poll(); item != null; item = items.poll()) {
            batch.add(item);
        }
        if (!batch.isEmpty()) {
            applications.incrementAndGet();
            apply.accept(batch);
        }
    }
}
