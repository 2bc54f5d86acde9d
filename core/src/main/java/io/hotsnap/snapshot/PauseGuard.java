package io.hotsnap.snapshot;

import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.settings.Waits;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    /** When the guard sent its {@code cont}, wall-clock µs like QEMU's event stamps; 0 until then. */
    private final AtomicLong firedAtMicros = new AtomicLong();
    private final ScheduledFuture<?> task;

    PauseGuard(QmpClient qmp, String vm, Duration deadline) {
        task = TIMER.schedule(() -> {
            firedAtMicros.set(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
            LOG.warn("{} paused longer than {}: resuming it", vm, deadline);
            // Sent, not awaited: the timer thread serves every guard, and one VM slow to answer
            // must not delay another VM's rescue.
            qmp.execute(QmpCommands.cont(), Waits.GUARD_CONT).whenComplete((reply, error) -> {
                if (error != null) {
                    LOG.error("{}: cont after the pause deadline failed: {}", vm, error.getMessage());
                }
            });
        }, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * True if the guard's {@code cont} may have been what resumed the VM: it fired, and QEMU stamped
     * the RESUME at {@code resumeMicros} after that. A RESUME stamped before the guard fired was
     * QEMU's own (the guard's late {@code cont} then found the VM running and did nothing): the
     * guard's timer running late on a loaded host, or the agent learning of the RESUME late, says
     * nothing about the pause itself.
     */
    boolean mayHaveResumed(long resumeMicros) {
        long firedAt = firedAtMicros.get();
        return firedAt != 0 && resumeMicros >= firedAt;
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
