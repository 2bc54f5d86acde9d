package io.hotsnap.snapshot;

import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * HotSnap's transient snapshot: {@code stop}, the disks fixed in one transaction, and a
 * {@code background-snapshot} migration that saves the device state, write-protects memory and
 * lets the guest run on; the memory is copied afterwards. The pause is bounded by its deadline.
 */
final class HotsnapPause implements TransientStep {

    private final SnapshotContext vm;
    private final DiskTargets disks;
    private final MemoryMigration migration;
    private final Runnable whilePaused;
    /** Barrier mode: the pause already taken, or null. */
    private final BarrierPause barrier;
    /** The job's abort, which undoes everything and returns the exception to throw. */
    private final Function<String, SnapshotException> abort;

    HotsnapPause(SnapshotContext vm, DiskTargets disks, MemoryMigration migration, Runnable whilePaused, BarrierPause barrier,
                 Function<String, SnapshotException> abort) {
        this.vm = vm;
        this.disks = disks;
        this.migration = migration;
        this.whilePaused = whilePaused;
        this.barrier = barrier;
        this.abort = abort;
    }

    @Override
    public PausePoint take() {
        boolean paused = barrier != null;
        Duration limit = paused ? barrier.deadline() : vm.timeouts.pausedDeadline();
        long stopAt = paused ? barrier.stopAt() : 0;
        long resumeAt;
        try (PauseGuard guard = paused ? barrier.guard() : new PauseGuard(vm.qmp, vm.name, limit)) {
            // The pause is what the guest feels, so its commands are pipelined: QEMU runs a
            // monitor's commands in order, and one round trip replaces three on a busy host.
            Optional<Map<String, Object>> diskTransaction = disks.transaction();
            // A background snapshot is never cancelled (see MemoryMigration#drain): the guard only resumes.
            vm.guarding(u -> u.pausing(vm.wasRunning, false));
            migration.markStarted();
            List<CompletableFuture<?>> replies = new ArrayList<>();
            if (!paused) {
                replies.add(vm.qmp.execute(QmpCommands.stop(), vm.timeouts.qmpCommand()));
            }
            diskTransaction.ifPresent(t -> replies.add(vm.qmp.execute("transaction", t, vm.timeouts.qmpCommand())));
            replies.add(migration.send());
            whilePaused.run();
            for (CompletableFuture<?> reply : replies) {
                join(reply);
            }
            if (!paused) {
                stopAt = vm.await(QmpEvent.STOP).timestampMicros();
                vm.phase(SnapshotPhase.STOP, stopAt);
            }
            resumeAt = awaitResume();
            // QEMU's own stamps decide, whether or not the guard's timer got to run in time. A
            // resume that may have been the guard's is never taken: its cont can run the guest
            // before QEMU's migration thread stopped it to save the state.
            if (resumeAt - stopAt > limit.toNanos() / 1000) {
                throw abort.apply("the VM stayed paused " + (resumeAt - stopAt) / 1000 + " ms, longer than the " + limit.toMillis()
                        + " ms deadline; it was resumed and the snapshot abandoned");
            }
            if (guard.mayHaveResumed(resumeAt)) {
                throw abort.apply("the pause's " + limit.toMillis()
                        + " ms deadline passed before QEMU resumed the VM; it was resumed and the snapshot abandoned");
            }
        }
        vm.phase(SnapshotPhase.RESUME, resumeAt);
        if (!vm.wasRunning) {
            vm.call(QmpCommands.stop());
        }
        return new PausePoint(stopAt, resumeAt);
    }

    /**
     * QEMU 7.2 resumes the guest itself once the device state is saved (even from a pause that was
     * ours); newer releases restore the prior run state and leave it paused. Ask the VM, not the
     * version string.
     */
    private long awaitResume() {
        Optional<QmpEvent> resumed = vm.log.next(e -> e.is(QmpEvent.RESUME), vm.timeouts.pausedDeadline());
        if (resumed.isEmpty() && !vm.running()) {
            vm.call(QmpCommands.cont());
            resumed = vm.log.next(e -> e.is(QmpEvent.RESUME), vm.timeouts.pausedDeadline());
        }
        return resumed.map(QmpEvent::timestampMicros).orElseGet(SnapshotContext::nowMicros);
    }

    /** The reply, or QEMU's error as the exception {@link io.hotsnap.qmp.QmpClient#call} would throw. */
    private static void join(CompletableFuture<?> reply) {
        try {
            reply.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the transient snapshot", e);
        }
    }
}
