package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.guard.Undo;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommand;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.qmp.QmpExecuteException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What the parts of one VM's snapshot share: the VM's QMP connection and events, the run state it
 * had before, where phases are reported, and the guard that outlives the agent.
 */
final class SnapshotContext {

    /** The VM's name, for events and messages. */
    final String name;
    final QmpClient qmp;
    final EventLog log;
    final Timeouts timeouts;
    /** Whether the guest ran when the snapshot began: it is left as it was found. */
    final boolean wasRunning;
    private final Consumer<SnapshotEvent> events;
    private final Consumer<UnaryOperator<Undo>> guard;

    SnapshotContext(String vm, QmpClient qmp, EventLog log, Timeouts timeouts, boolean wasRunning, Consumer<SnapshotEvent> events,
                    Consumer<UnaryOperator<Undo>> guard) {
        this.name = vm;
        this.qmp = qmp;
        this.log = log;
        this.timeouts = timeouts;
        this.wasRunning = wasRunning;
        this.events = events;
        this.guard = guard;
    }

    <R> R call(QmpCommand<R> command) {
        return qmp.call(command, timeouts.qmpCommand());
    }

    /** For the commands whose arguments or reply are QEMU's block-layer trees, read where they are used. */
    JsonNode call(String command, Object arguments) {
        return qmp.call(command, arguments, timeouts.qmpCommand());
    }

    QmpEvent await(String event) {
        return log.await(event, timeouts.qmpCommand());
    }

    boolean running() {
        return call(QmpCommands.queryStatus()).running();
    }

    void phase(SnapshotPhase phase, long atMicros) {
        events.accept(new SnapshotEvent.Phase(name, phase, atMicros));
    }

    void progress(long done, long total, long bytesPerSecond) {
        events.accept(new SnapshotEvent.Progress(name, done, total, bytesPerSecond));
    }

    /** Tells the guard that outlives this process what it would now have to undo. */
    void guarding(UnaryOperator<Undo> change) {
        guard.accept(change);
    }

    /** After a baseline's completed migration: the guest runs again if it ran before; when it did (µs). */
    long resumeAfterMigration() {
        if (!wasRunning) {
            return nowMicros();
        }
        contAfterMigration();
        long resumeAt = await(QmpEvent.RESUME).timestampMicros();
        phase(SnapshotPhase.RESUME, resumeAt);
        return resumeAt;
    }

    /**
     * QEMU 7.2 reports a migration completed a moment before its run state leaves
     * {@code finish-migrate}, and refuses {@code cont} until then ("Migration is not finalized
     * yet"): retried briefly, on exactly that refusal; the last try's refusal is the error.
     */
    private void contAfterMigration() {
        if (!Poll.every(Waits.CONT_RETRY, Waits.MIGRATION_FINALIZED).until(this::triedCont)) {
            call(QmpCommands.cont());
        }
    }

    private boolean triedCont() {
        try {
            call(QmpCommands.cont());
            return true;
        } catch (QmpExecuteException e) {
            if (!e.description().contains("not finalized")) {
                throw e;
            }
            return false;
        }
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
