package io.hotsnap.snapshot;

import io.hotsnap.qmp.QmpClient;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promise that a VM we paused runs again within a deadline, whatever happens to the thread
 * that paused it: armed before {@code stop}, it sends {@code cont} itself when the deadline passes
 * unless disarmed first. The snapshot that overran is then aborted by its owner.
 */
final class PauseGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PauseGuard.class);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pause-guard");
        t.setDaemon(true);
        return t;
    });

    private final AtomicBoolean fired = new AtomicBoolean();
    private final ScheduledFuture<?> task;

    PauseGuard(QmpClient qmp, String vm, Duration deadline) {
        task = TIMER.schedule(() -> {
            fired.set(true);
            LOG.warn("{} paused longer than {}: resuming it", vm, deadline);
            // Sent, not awaited: the timer thread serves every guard, and one VM slow to answer
            // must not delay another VM's rescue.
            qmp.execute("cont", null, Duration.ofSeconds(5)).whenComplete((reply, error) -> {
                if (error != null) {
                    LOG.error("{}: cont after the pause deadline failed: {}", vm, error.getMessage());
                }
            });
        }, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** True if the deadline passed and the guard resumed the VM itself. */
    boolean fired() {
        return fired.get();
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
