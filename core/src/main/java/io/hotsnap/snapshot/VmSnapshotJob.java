package io.hotsnap.snapshot;

import io.hotsnap.guard.AgentGuard;
import io.hotsnap.guard.DiskCopyNodes;
import io.hotsnap.guard.Undo;
import io.hotsnap.host.HostPaths;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.qmp.BlockJobEvent;
import io.hotsnap.qmp.MigrationCapabilityStatus;
import io.hotsnap.qmp.MigrationEvent;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.qmp.QmpEventSubscription;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.vm.DiskInfo;
import io.hotsnap.vm.DomainRecord;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.VmEndpoint;
import io.hotsnap.vm.VmInventory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM's snapshot, in the steps the cluster protocol drives separately: {@link #prepare()}
 * (eligibility, targets, capabilities; the guest does not notice), {@link #transientSnapshot()}
 * (the pause), {@link #fullSnapshot()} (the background copy and the VM's part of the manifest).
 * Any failure goes through {@link #abort(String)}: the VM runs again on its own disks, our jobs are
 * cancelled, our block nodes and capabilities removed, the part's files deleted.
 */
public final class VmSnapshotJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VmSnapshotJob.class);
    private static final Set<String> WATCHED = Set.of(QmpEvent.STOP, QmpEvent.RESUME, MigrationEvent.NAME, BlockJobEvent.COMPLETED,
            BlockJobEvent.ERROR, BlockJobEvent.READY);

    private final String vm;
    private final VmEndpoint endpoint;
    private final SnapshotStore store;
    private final String id;
    private final SnapshotMode mode;
    private final DiskMode diskMode;
    private final Timeouts timeouts;
    private final Consumer<SnapshotEvent> events;
    private final Path dir;

    private QmpClient qmp;
    private QmpEventSubscription subscription;
    private SnapshotContext context;
    private Optional<QemuProcess> process = Optional.empty();
    /** Asked before any pause: a libvirt call inside the pause would lengthen it. */
    private Optional<DomainRecord> domain = Optional.empty();
    private long guestMemory;
    private DiskTargets disks;
    private MigrationSettings settingsBefore;
    private MemoryMigration migration;
    /** Set by the first abort: the job's own failure and the agent's abort request may race, and undo runs once. */
    private SnapshotException aborted;
    private DetachedReceiver receiver;
    /** Set once eligibility passed: before that, this job has changed nothing in the VM to undo. */
    private boolean touched;
    private long stopAt;
    private long resumeAt;
    private long transientDoneAt;
    /** Sends commands that must run while the guest is paused, behind the pause's own. */
    private Runnable whilePaused = () -> { };
    /** What a guard that outlives this process undoes in the VM if it dies: armed once we change the VM, disarmed once undone. */
    private volatile AgentGuard.Armed outliving;
    /** Barrier mode: a pause taken before the transient snapshot. */
    private volatile BarrierPause barrier;

    public VmSnapshotJob(String vm, VmEndpoint endpoint, SnapshotStore store, String id, SnapshotMode mode, DiskMode diskMode,
                         Timeouts timeouts, Consumer<SnapshotEvent> events) {
        this.vm = vm;
        this.endpoint = endpoint;
        this.store = store;
        this.id = id;
        this.mode = mode;
        this.diskMode = diskMode;
        this.timeouts = timeouts;
        this.events = events;
        this.dir = store.partDir(id, vm);
    }

    public String vm() {
        return vm;
    }

    /**
     * The job's QMP connection, after {@link #prepare()}: a QMP socket serves one client at a time,
     * so whoever else must act on the VM during the snapshot (the inbound hold) shares this one.
     */
    public QmpClient qmp() {
        if (qmp == null) {
            throw new IllegalStateException(vm + ": not prepared");
        }
        return qmp;
    }

    /** Connects, checks eligibility (refusing with every reason), creates the targets. The guest runs on untouched. */
    public void prepare() {
        qmp = endpoint.qmpClient(timeouts);
        try {
            qmp.connect(timeouts.qmpConnect());
        } catch (QmpException e) {
            throw SnapshotException.refused(vm + ": QEMU does not answer on " + endpoint.qmpTarget() + ": " + e.getMessage());
        }
        subscription = qmp.subscribe(e -> WATCHED.contains(e.name()), 4096);
        process = endpoint.process();
        try {
            domain = endpoint.domainRecord();
        } catch (RuntimeException e) {
            throw SnapshotException.refused(vm + ": " + e.getMessage());
        }
        boolean wasRunning = qmp.call(QmpCommands.queryStatus(), timeouts.qmpCommand()).running();
        context = new SnapshotContext(vm, qmp, new EventLog(subscription), timeouts, wasRunning, events, this::guarding);
        guestMemory = context.call(QmpCommands.queryMemorySizeSummary()).baseMemory();
        List<DiskInfo> writable = diskMode == DiskMode.NONE ? List.of() : VmInventory.writableDisks(context.call("query-block", null));
        disks = new DiskTargets(context, diskMode, writable, dir, id, endpoint, qemuIsAnotherUser());
        List<MigrationCapabilityStatus> capabilities = context.call(QmpCommands.queryMigrateCapabilities());
        long needed = guestMemory + writable.stream().mapToLong(DiskInfo::sizeBytes).sum();
        List<String> problems = new ArrayList<>(endpoint.managerObjections());
        if (diskMode == DiskMode.OVERLAY && !writable.isEmpty()) {
            endpoint.manager().ifPresent(m -> problems.add("--disk overlay is refused for a VM that " + m + " manages (its definition would "
                    + "still name the original disk, so its next start would boot that disk without the writes since): use --disk copy"));
        }
        problems.addAll(Eligibility.problems(mode, capabilities, context.call(QmpCommands.queryMigrate()), process,
                Eligibility.kernelRelease(), store.root(), needed, qmp.version().toString()));
        if (!problems.isEmpty()) {
            throw SnapshotException.refused(vm + " is not eligible: " + String.join("; ", problems));
        }
        settingsBefore = new MigrationSettings(capabilities, context.call(QmpCommands.queryMigrateParameters()));
        touched = true;
        try {
            outliving = AgentGuard.get().arm(id + "/" + vm, Undo.vm(endpoint.qmpTarget(), settingsBefore.toRestore()));
            DiskCopyNodes.removeStale(qmp, timeouts.qmpCommand());
            PrivateFiles.createDirectories(dir);
            disks.create();
            settingsBefore.applyFor(mode, context);
            receiver = new DetachedReceiver(streamSocket(), dir.resolve("memory.img"));
            migration = new MemoryMigration(context, receiver, guestMemory);
            if (qemuIsAnotherUser()) {
                StreamSockets.handTo(receiver.socket(), qemuUid());
            }
        } catch (IOException | RuntimeException e) {
            throw abort("preparing failed: " + e.getMessage());
        }
    }

    /**
     * The pause: STOP is the snapshot point; disks are fixed there in one transaction; the memory
     * copy starts; the guest runs again. Bounded by the pause deadline in {@code hotsnap} mode.
     */
    public void transientSnapshot() {
        synchronized (this) {
            if (aborted != null) {
                // Aborted while it waited for its turn (a staggered cut whose coordinator went away): touch nothing more.
                throw aborted;
            }
        }
        TransientStep step = switch (mode) {
            case HOTSNAP -> new HotsnapPause(context, disks, migration, whilePaused, barrier, this::abort);
            case STOPCOPY -> new StopAndCopy(context, disks, migration);
            case PRECOPY -> new PrecopyToFinalStop(context, disks, migration);
        };
        try {
            TransientStep.PausePoint point = step.take();
            stopAt = point.stopAt();
            resumeAt = point.resumeAt();
            guarding(Undo::resumed);
            transientDoneAt = SnapshotContext.nowMicros();
            context.phase(SnapshotPhase.TRANSIENT_DONE, transientDoneAt);
        } catch (SnapshotException e) {
            throw e;
        } catch (RuntimeException e) {
            throw abort("transient snapshot failed: " + e.getMessage());
        } finally {
            barrier = null;
        }
    }

    /**
     * Commands to send right behind the transient snapshot's {@code stop}/{@code migrate}, on
     * {@link #qmp()}, without waiting: QEMU runs a monitor's commands in order, so they run with
     * the guest already stopped at its snapshot point. Releasing an inbound hold there is safe
     * (a stopped guest's NIC takes no packets; QEMU queues them until it runs) and saves a round
     * trip on a busy monitor.
     */
    public void sendWhilePaused(Runnable commands) {
        whilePaused = commands;
    }

    /**
     * Barrier mode: pauses the guest now, ahead of its transient snapshot, so that every VM of a cut
     * can be paused before any reaches its snapshot point. This STOP is the snapshot point; the
     * guard resumes the VM once {@code deadline} passes, whatever else happens.
     */
    public void pause(Duration deadline) {
        if (mode != SnapshotMode.HOTSNAP) {
            throw new IllegalStateException(vm + ": only a hotsnap snapshot is taken from a barrier pause");
        }
        guarding(u -> u.pausing(context.wasRunning, false));
        PauseGuard guard = new PauseGuard(qmp, vm, deadline);
        // Set before the stop: an abort from here on closes the guard and resumes the VM at once.
        barrier = new BarrierPause(guard, deadline, 0);
        try {
            context.call(QmpCommands.stop());
            long stoppedAt = context.await(QmpEvent.STOP).timestampMicros();
            barrier = new BarrierPause(guard, deadline, stoppedAt);
            stopAt = stoppedAt;
        } catch (RuntimeException e) {
            throw abort("pausing for the barrier failed: " + e.getMessage());
        }
        context.phase(SnapshotPhase.STOP, stopAt);
    }

    /** Waits for the memory stream and our disk jobs; reports progress; fails on QEMU's error. */
    public VmPart fullSnapshot() {
        try {
            if (mode == SnapshotMode.HOTSNAP) {
                migration.await("completed");
                disks.awaitJobs();
            }
            SnapshotFile memory = receiver.done().get(timeouts.qmpCommand().toMillis(), TimeUnit.MILLISECONDS);
            PrivateFiles.restrict(dir.resolve(memory.path()));
            List<DiskCopy> copies = disks.copies();
            disks.release();
            settingsBefore.restore(context);
            PrivateFiles.fsync(dir);
            long fullDoneAt = SnapshotContext.nowMicros();
            VmPart part = new VmPart(vm, qmp.version().toString(), process.map(QemuProcess::cmdline).orElse(List.of()),
                    endpoint.qmpTarget(), guestMemory, memory, copies, stopAt, resumeAt, transientDoneAt, fullDoneAt,
                    Eligibility.kernelRelease(), domain.orElse(null));
            store.writePart(id, part);
            context.phase(SnapshotPhase.FULL_DONE, fullDoneAt);
            return part;
        } catch (SnapshotException e) {
            throw e;
        } catch (ExecutionException e) {
            throw abort("the memory image could not be written: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw abort("the memory stream did not end within " + timeouts.qmpCommand().toSeconds() + " s of the migration");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abort("interrupted");
        } catch (IOException | RuntimeException e) {
            throw abort("full snapshot failed: " + e.getMessage());
        }
    }

    /**
     * Undoes everything this job did, never throwing, and returns the exception to throw. The VM
     * runs again unless it was paused before we came.
     */
    public synchronized SnapshotException abort(String reason) {
        if (aborted != null) {
            return aborted;
        }
        LOG.warn("{}: aborting snapshot {}: {}", vm, id, reason);
        BarrierPause paused = barrier;
        if (paused != null) {
            paused.guard().close(); // resumed below, now, rather than at the guard's deadline
        }
        if (qmp != null && touched) {
            endOurMigration();
            for (String job : disks.jobs()) {
                quietly("cancel " + job, () -> disks.cancel(job));
            }
            if (context.wasRunning) {
                quietly("resume", () -> {
                    if (!context.running()) {
                        context.call(QmpCommands.cont());
                    }
                });
            }
            disks.awaitNoJobs();
            quietly("undo the overlays", disks::undoOverlays);
            quietly("release targets", disks::release);
            quietly("restore migration settings", () -> settingsBefore.restore(context));
        }
        if (receiver != null) {
            receiver.close();
            quietly("remove the stream socket", () -> StreamSockets.remove(receiver.socket()));
        }
        quietly("remove partial files", () -> {
            if (disks != null && !disks.overlaysLeft().isEmpty()) {
                // Not undone (see the log above): the VM may still write to them, so they stay.
                LOG.error("{}: overlays {} could not be undone and are left in place: the VM may run on them", vm, disks.overlaysLeft());
                return;
            }
            try {
                PrivateFiles.deleteTree(dir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        disarm();
        aborted = new SnapshotException(SnapshotException.Kind.FAILED, vm + ": " + reason);
        return aborted;
    }

    /**
     * A background snapshot is drained to its end and only then thrown away (see
     * {@link MemoryMigration#drain()}); the baselines have no write protection and are cancelled at once.
     */
    private void endOurMigration() {
        if (migration == null || !migration.started()) {
            return;
        }
        if (mode != SnapshotMode.HOTSNAP) {
            quietly("migrate_cancel", migration::cancel);
            return;
        }
        quietly("let the background snapshot finish", () -> {
            if (!migration.drain()) {
                LOG.error("{}: the background snapshot did not end within {} min; the guest may stay write-protected", vm,
                        Waits.BACKGROUND_DRAIN.toMinutes());
            }
        });
    }

    /**
     * Tells the guard that outlives this process about one of our {@code filter-buffer} objects
     * in the VM, to delete it should this process die.
     */
    public void guardFilter(String filterId) {
        guarding(u -> u.withFilter(filterId));
    }

    /** Disarms the guard that outlives this process: called once the job (and its holds) are done or undone. */
    @Override
    public void close() {
        disarm();
        if (subscription != null) {
            subscription.close();
        }
        if (qmp != null) {
            qmp.close();
        }
    }

    /** Our memory stream's socket: in the private part directory, unless QEMU runs as another user and cannot reach it there. */
    private Path streamSocket() throws IOException {
        return qemuIsAnotherUser() ? StreamSockets.newPath(id, vm) : dir.resolve("memory.sock");
    }

    private boolean qemuIsAnotherUser() {
        return qemuUid() != HostPaths.uid();
    }

    /** QEMU's uid; ours when the process cannot be seen (nothing to hand over then). */
    private int qemuUid() {
        return process.map(QemuProcess::uid).filter(uid -> uid >= 0).orElse(HostPaths.uid());
    }

    private void guarding(UnaryOperator<Undo> change) {
        AgentGuard.Armed armed = outliving;
        if (armed != null) {
            armed.update(change);
        }
    }

    private void disarm() {
        AgentGuard.Armed armed = outliving;
        outliving = null;
        if (armed != null) {
            armed.close();
        }
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.debug("{}: {} during abort: {}", vm, what, e.getMessage());
        }
    }
}
