package io.hotsnap.snapshot;

import io.hotsnap.qmp.MigrationEvent;
import io.hotsnap.qmp.MigrationInfo;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.settings.StreamLimits;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The migration that copies the VM's memory into our receiver: started, watched to the state a
 * mode waits for (reporting progress, giving up on a stall), and at an abort drained or cancelled.
 * Only a migration we started is ours to end.
 */
final class MemoryMigration {

    /** States in which a background snapshot still copies, and still write-protects the guest's memory. */
    private static final Set<String> DRAINING = Set.of("setup", "active", "device", "cancelling");

    private final SnapshotContext vm;
    private final DetachedReceiver receiver;
    private final long guestMemory;
    /** Set just before our {@code migrate}. */
    private volatile boolean started;

    MemoryMigration(SnapshotContext vm, DetachedReceiver receiver, long guestMemory) {
        this.vm = vm;
        this.receiver = receiver;
        this.guestMemory = guestMemory;
    }

    /** Starts the copy and waits for QEMU to accept it. */
    void start() {
        started = true;
        vm.call(QmpCommands.migrate(receiver.uri()));
    }

    /** Marks the copy as ours before the commands that lead to its start are sent. */
    void markStarted() {
        started = true;
    }

    /** Sends the {@code migrate} without waiting, behind commands already sent (the pipelined pause). */
    CompletableFuture<Void> send() {
        return vm.qmp.execute(QmpCommands.migrate(receiver.uri()), vm.timeouts.qmpCommand());
    }

    boolean started() {
        return started;
    }

    /** Until the copy reaches {@code wanted}, however long it takes while it moves (a slow store, a large VM). */
    void await(String wanted) {
        await(wanted, null);
    }

    /**
     * @param bound how long it may take in all (precopy's convergence), or null: the copy is given
     *              up only once QEMU has sent nothing for {@link StreamLimits#memoryStall()}
     */
    void await(String wanted, Duration bound) {
        long started = System.nanoTime();
        Duration stall = StreamLimits.defaults().memoryStall();
        long lastBytes = 0;
        long lastAt = started;
        long sent = -1;
        long movedAt = started;
        while (true) {
            MigrationInfo info = vm.call(QmpCommands.queryMigrate());
            String status = info.statusOrNone();
            if (status.equals(wanted)) {
                return;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                String why = info.errorDesc() == null ? "QEMU gave no reason" : info.errorDesc();
                throw new IllegalStateException("QEMU's memory copy " + status + ": " + why);
            }
            // Progress in guest memory covered (total − remaining): zero pages go by in a few bytes of the stream,
            // so the image's size would stop well short of the guest's RAM.
            MigrationInfo.MigrationStats ram = info.ramOrEmpty();
            long total = ram.total() == null ? guestMemory : ram.total();
            long done = ram.remaining() == null ? receiver.bytesReceived() : Math.max(0, total - ram.remaining());
            long now = System.nanoTime();
            long rate = now > lastAt ? Math.max(0, done - lastBytes) * 1_000_000_000L / (now - lastAt) : 0;
            vm.progress(done, total, rate);
            lastBytes = done;
            lastAt = now;
            long transferred = ram.transferred() == null ? receiver.bytesReceived() : ram.transferred();
            if (transferred != sent) {
                sent = transferred;
                movedAt = now;
            } else if (now - movedAt > stall.toNanos()) {
                throw new IllegalStateException("the memory copy sent nothing for " + stall.toSeconds() + " s");
            }
            if (bound != null && now - started > bound.toNanos()) {
                throw new IllegalStateException("the memory copy did not reach '" + wanted + "' within " + bound.toMinutes() + " min");
            }
            // Sleeps between polls, waking early when QEMU reports a migration state change.
            vm.log.next(e -> e.is(MigrationEvent.NAME), Waits.MIGRATION_POLL);
        }
    }

    /** A baseline's copy has no write protection: it is cancelled at once. */
    void cancel() {
        vm.call(QmpCommands.migrateCancel());
    }

    /**
     * A background snapshot must run to its end: QEMU 7.2 cancelled (or cut off) mid-copy leaves
     * guest memory write-protected with no one to serve the faults, and the guest freezes or QEMU
     * deadlocks. So it is drained to completion (the receiver discards what it cannot store).
     *
     * @return false if it did not end within {@link Waits#BACKGROUND_DRAIN}
     */
    boolean drain() {
        return Poll.every(Waits.MIGRATION_POLL, Waits.BACKGROUND_DRAIN)
                .until(() -> !DRAINING.contains(vm.call(QmpCommands.queryMigrate()).statusOrNone()));
    }
}
