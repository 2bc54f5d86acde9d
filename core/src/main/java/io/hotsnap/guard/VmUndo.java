package io.hotsnap.guard;

import io.hotsnap.host.HostCommand;
import io.hotsnap.libvirt.LibvirtQmp;
import io.hotsnap.qmp.MigrationCapabilityStatus;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpExecuteException;
import io.hotsnap.settings.GuardTimeouts;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes one armed entry of an agent that died. In a VM, in this order: its migration to our sink
 * cancelled (a baseline's; a background snapshot is left to drain into its detached sink, as
 * cutting it off freezes a QEMU 7.2 guest), {@code cont} once QEMU has left the phase in which it
 * pauses the guest itself, our filters deleted (their queued packets delivered), the migration
 * capabilities set back once no migration runs, our disk copies' jobs and nodes removed. Each step on its own: one that fails does not
 * stop the next. Never kills or stops the VM.
 */
final class VmUndo {

    private static final Logger LOG = LoggerFactory.getLogger(VmUndo.class);
    private static final Duration CALL = GuardTimeouts.COMMAND;
    /** Migration states in which QEMU itself is taking the guest's pause: a {@code cont} there races its stop. */
    private static final Set<String> PAUSE_TAKING = Set.of("setup", "device", "cancelling");
    private static final Set<String> MIGRATING = Set.of("setup", "active", "device", "cancelling", "pre-switchover", "postcopy-active");

    private VmUndo() {
    }

    static void run(Undo undo) {
        if (undo.qmp() == null) {
            dropTable(undo.nftTable());
            return;
        }
        Timeouts timeouts = Timeouts.defaults();
        try (QmpClient qmp = client(undo.qmp(), timeouts)) {
            qmp.connect(CALL);
            if (undo.cancelMigration()) {
                step(undo, "migrate_cancel", () -> qmp.call(QmpCommands.migrateCancel(), CALL));
            }
            if (undo.resume()) {
                step(undo, "cont", () -> resume(qmp));
            }
            for (String filter : undo.filters()) {
                step(undo, "object-del " + filter, () -> deleteFilter(qmp, filter));
            }
            if (!undo.capabilities().isEmpty()) {
                step(undo, "migration capabilities", () -> restoreCapabilities(qmp, undo.capabilities()));
            }
            // Our disk copies' jobs and nodes: they keep the deleted copies open and block the next copy of the disk.
            step(undo, "disk copies", () -> DiskCopyNodes.removeStale(qmp, CALL));
        } catch (RuntimeException e) {
            LOG.error("{}: cannot undo what the agent left: {}", undo.qmp(), e.getMessage());
        }
    }

    /** Only the disk copy nodes and jobs of agents no longer alive, in the VM behind {@code qmpTarget}. */
    static void sweep(String qmpTarget) {
        Timeouts timeouts = Timeouts.defaults();
        try (QmpClient qmp = client(qmpTarget, timeouts)) {
            qmp.connect(CALL);
            DiskCopyNodes.removeStale(qmp, CALL);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot look for disk copy nodes the agent left: {}", qmpTarget, e.getMessage());
        }
    }

    /** A socket path, or {@code libvirt:URI/NAME} through libvirt's pass-through. */
    private static QmpClient client(String target, Timeouts timeouts) {
        return LibvirtQmp.client(target, timeouts).orElseGet(() -> new QmpClient(Path.of(target), timeouts));
    }

    private static void resume(QmpClient qmp) {
        Poll.every(Waits.STATE_POLL, GuardTimeouts.SETTLE).until(() -> !PAUSE_TAKING.contains(migrationStatus(qmp)));
        // A bound of its own: the wait above may have used up its own.
        long contDeadline = System.nanoTime() + CALL.toNanos();
        while (!qmp.call(QmpCommands.queryStatus(), CALL).running()) {
            try {
                qmp.call(QmpCommands.cont(), CALL);
                LOG.warn("{}: resumed the VM the agent had paused", qmp.target());
                return;
            } catch (QmpExecuteException e) {
                // QEMU 7.2 refuses cont for a moment after a migration ends ("not finalized yet").
                if (!e.description().contains("not finalized") || System.nanoTime() > contDeadline) {
                    throw e;
                }
                sleep(Waits.STATE_POLL.toMillis());
            }
        }
    }

    private static void deleteFilter(QmpClient qmp, String filter) {
        try {
            qmp.call(QmpCommands.objectDel(filter), CALL);
            LOG.warn("{}: removed the hold {}", qmp.target(), filter);
        } catch (QmpExecuteException e) {
            // already removed by the agent: nothing to do
        }
    }

    private static void restoreCapabilities(QmpClient qmp, Map<String, Boolean> capabilities) {
        if (!Poll.every(Waits.MIGRATION_POLL, GuardTimeouts.DRAIN).until(() -> !MIGRATING.contains(migrationStatus(qmp)))) {
            throw new IllegalStateException("a migration still runs after " + GuardTimeouts.DRAIN.toMinutes() + " min");
        }
        List<MigrationCapabilityStatus> list = new ArrayList<>();
        capabilities.forEach((name, state) -> list.add(new MigrationCapabilityStatus(name, state)));
        qmp.call(QmpCommands.migrateSetCapabilities(list), CALL);
        LOG.warn("{}: migration capabilities set back to {}", qmp.target(), capabilities);
    }

    private static String migrationStatus(QmpClient qmp) {
        return qmp.call(QmpCommands.queryMigrate(), CALL).statusOrNone();
    }

    private static void dropTable(String table) {
        HostCommand.Result r = HostCommand.run(List.of("nft", "delete", "table", "bridge", table), CALL);
        if (r.ok()) {
            LOG.warn("removed the packet-drop table {}", table);
        } else {
            LOG.error("cannot remove the packet-drop table {}: {}", table, HostCommand.lastLine(r.stderr()));
        }
    }

    private static void step(Undo undo, String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("{}: {} failed: {}", undo.qmp(), what, e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
