package io.hotsnap.app.dashboard;

import java.time.Duration;
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
 * A batch that outlasts its {@code budget} of FX time goes on in the next FX turn, so pulses (and
 * the user's input) come in between however large the burst; the batch ends when the queue is
 * empty, or after {@code minInterval}, so that a steady stream still shows. Adding never blocks.
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
    private final long budgetNanos;
    private final Consumer<T> step;
    private final Runnable end;
    /** A batch is being applied across FX turns (FX thread only). */
    private boolean applying;
    /** As if the last drain were long ago, so the first one starts at once. */
    private volatile long lastDrainNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    /**
     * @param step applies one item (FX thread)
     * @param end  called once a batch's items are all applied (FX thread)
     */
    UpdateQueue(Duration minInterval, Duration gather, Duration budget, Consumer<T> step, Runnable end) {
        this.minIntervalNanos = minInterval.toNanos();
        this.gatherNanos = gather.toNanos();
        this.budgetNanos = budget.toNanos();
        this.step = step;
        this.end = end;
    }

    void add(T item) {
        items.add(item);
        scheduleDrain();
    }

    private void scheduleDrain() {
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
        // Stamped before the flag is cleared: an add that sees the flag clear must also see this
        // drain's time, or it schedules the next drain a mere gather after the previous one's
        // (CI saw 17 batches in 524 ms).
        lastDrainNanos = System.nanoTime();
        // Cleared before polling: an item added from now on schedules the next drain itself.
        drainPending.set(false);
        // While a batch is in progress, it takes the new items too.
        if (!applying && !items.isEmpty()) {
            applying = true;
            applications.incrementAndGet();
            apply(lastDrainNanos);
        }
    }

    /** Applies queued items until the queue is empty, the budget is spent, or the batch is long enough. */
    private void apply(long batchStart) {
        long deadline = System.nanoTime() + budgetNanos;
        for (T item = items.poll(); item != null; item = items.poll()) {
            step.accept(item);
            long now = System.nanoTime();
            if (items.isEmpty()) {
                break;
            }
            if (now - batchStart > minIntervalNanos) {
                // A steady stream: show what is applied, the rest is the next batch.
                applying = false;
                end.run();
                scheduleDrain();
                return;
            }
            if (now - deadline > 0) {
                Platform.runLater(() -> apply(batchStart));
                return;
            }
        }
        applying = false;
        end.run();
    }
}
