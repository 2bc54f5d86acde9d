package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.guard.AgentGuard;
import io.hotsnap.guard.DiskCopyNodes;
import io.hotsnap.guard.Undo;
import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostPaths;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.qmp.QmpEventSubscription;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.qmp.QmpExecuteException;
import io.hotsnap.settings.StreamLimits;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.DiskInfo;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.VmEndpoint;
import io.hotsnap.vm.VmInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private static final Set<String> WATCHED = Set.of("STOP", "RESUME", "MIGRATION", "BLOCK_JOB_COMPLETED", "BLOCK_JOB_ERROR",
            "BLOCK_JOB_READY");
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long the live rounds of a precopy may take before the baseline gives up (auto-converge keeps it short). */
    private static final Duration PRECOPY_BOUND = Duration.ofMinutes(3);

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
    private EventLog log;
    private Optional<QemuProcess> process = Optional.empty();
    /** Asked before any pause: a libvirt call inside the pause would lengthen it. */
    private Optional<DomainRecord> domain = Optional.empty();
    private boolean wasRunning;
    private long guestMemory;
    private List<DiskInfo> disks = List.of();
    private final Map<String, Boolean> capabilitiesBefore = new LinkedHashMap<>();
    // Written by the job's thread, read by an abort that may come from the agent's request thread.
    private final List<String> targetNodes = new CopyOnWriteArrayList<>();
    private final List<String> jobs = new CopyOnWriteArrayList<>();
    /** Overlay mode: each disk's overlay, made (0600) before the pause and put on top by the pause's transaction. */
    private final Map<String, Path> overlays = new java.util.concurrent.ConcurrentHashMap<>();
    /** fd sets holding our disk targets' descriptors, for a QEMU that cannot open them itself. */
    private final List<Integer> fdsets = new CopyOnWriteArrayList<>();
    /** Set by the first abort: the job's own failure and the agent's abort request may race, and undo runs once. */
    private SnapshotException aborted;
    private DetachedReceiver receiver;
    /** Set once eligibility passed: before that, this job has changed nothing in the VM to undo. */
    private boolean touched;
    /** Set just before our {@code migrate}: only a migration we started is ours to end. */
    private boolean migrationStarted;
    private long bandwidthBefore;
    private long stopAt;
    private long resumeAt;
    private long transientDoneAt;
    /** Sends commands that must run while the guest is paused, behind the pause's own. */
    private Runnable whilePaused = () -> { };
    /** What a guard that outlives this process undoes in the VM if it dies: armed once we change the VM, disarmed once undone. */
    private volatile AgentGuard.Armed outliving;
    /** Barrier mode: the guard of a pause taken before the transient snapshot, and its deadline. */
    private volatile PauseGuard barrier;
    private Duration barrierDeadline;

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
        log = new EventLog(subscription);
        process = endpoint.process();
        try {
            domain = endpoint.domainRecord();
        } catch (RuntimeException e) {
            throw SnapshotException.refused(vm + ": " + e.getMessage());
        }
        wasRunning = call("query-status", null).path("running").asBoolean();
        guestMemory = call("query-memory-size-summary", null).path("base-memory").asLong();
        disks = diskMode == DiskMode.NONE ? List.of() : VmInventory.writableDisks(call("query-block", null));
        JsonNode capabilities = call("query-migrate-capabilities", null);
        long needed = guestMemory + disks.stream().mapToLong(DiskInfo::sizeBytes).sum();
        List<String> problems = new ArrayList<>(endpoint.managerObjections());
        if (diskMode == DiskMode.OVERLAY && !disks.isEmpty()) {
            endpoint.manager().ifPresent(m -> problems.add("--disk overlay is refused for a VM that " + m + " manages (its definition would "
                    + "still name the original disk, so its next start would boot that disk without the writes since): use --disk copy"));
        }
        problems.addAll(Eligibility.problems(mode, capabilities, call("query-migrate", null), process,
                Eligibility.kernelRelease(), store.root(), needed, qmp.version().toString()));
        if (!problems.isEmpty()) {
            throw SnapshotException.refused(vm + " is not eligible: " + String.join("; ", problems));
        }
        for (JsonNode cap : capabilities) {
            String name = cap.path("capability").asText();
            // Only a snapshot's own migration uses background-snapshot, and the eligibility check has
            // just seen none running: found on, it is what a killed agent could not undo, and it is
            // left off afterwards (on, it would turn the next live migration into a snapshot).
            capabilitiesBefore.put(name, !name.equals("background-snapshot") && cap.path("state").asBoolean());
        }
        bandwidthBefore = call("query-migrate-parameters", null).path("max-bandwidth").asLong();
        touched = true;
        try {
            outliving = AgentGuard.get().arm(id + "/" + vm, Undo.vm(endpoint.qmpTarget(), capabilitiesToRestore()));
            DiskCopyNodes.removeStale(qmp, timeouts.qmpCommand());
            PrivateFiles.createDirectories(dir);
            for (DiskInfo disk : disks) {
                if (diskMode == DiskMode.COPY) {
                    addBackupTarget(disk);
                } else {
                    createOverlay(disk);
                }
            }
            // auto-converge: QEMU throttles a guest that dirties memory faster than the copy goes,
            // as live-migration-based snapshot tools do; without it a busy guest on a busy host
            // never reaches its final stop (measured: 3 guests dirtying 20 MiB/s under TCG).
            Map<String, Boolean> wanted = Map.of(
                    "events", true,
                    "background-snapshot", mode == SnapshotMode.HOTSNAP,
                    "pause-before-switchover", mode == SnapshotMode.PRECOPY,
                    "auto-converge", mode == SnapshotMode.PRECOPY);
            setCapabilities(wanted);
            confirmCapabilities(wanted);
            // Unlimited bandwidth: the default 128 MiB/s cap would slow every mode's copy alike.
            call("migrate-set-parameters", Map.of("max-bandwidth", Long.MAX_VALUE >> 1));
            receiver = new DetachedReceiver(streamSocket(), dir.resolve("memory.img"));
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
        try {
            switch (mode) {
                case HOTSNAP -> hotsnapPause();
                case STOPCOPY -> stopAndCopy();
                case PRECOPY -> precopyToFinalStop();
            }
            guarding(Undo::resumed);
            transientDoneAt = nowMicros();
            events.accept(new SnapshotEvent.Phase(vm, SnapshotPhase.TRANSIENT_DONE, transientDoneAt));
        } catch (SnapshotException e) {
            throw e;
        } catch (RuntimeException e) {
            throw abort("transient snapshot failed: " + e.getMessage());
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
        barrierDeadline = deadline;
        guarding(u -> u.pausing(wasRunning, false));
        barrier = new PauseGuard(qmp, vm, deadline);
        try {
            call("stop", null);
            stopAt = await("STOP").timestampMicros();
        } catch (RuntimeException e) {
            throw abort("pausing for the barrier failed: " + e.getMessage());
        }
        events.accept(new SnapshotEvent.Phase(vm, SnapshotPhase.STOP, stopAt));
    }

    private void hotsnapPause() {
        boolean paused = barrier != null;
        Duration limit = paused ? barrierDeadline : timeouts.pausedDeadline();
        try (PauseGuard guard = paused ? barrier : new PauseGuard(qmp, vm, limit)) {
            // The pause is what the guest feels, so its commands are pipelined: QEMU runs a
            // monitor's commands in order, and one round trip replaces three on a busy host.
            Optional<Map<String, Object>> diskTransaction = diskTransaction();
            // A background snapshot is never cancelled (see endOurMigration): the guard only resumes.
            guarding(u -> u.pausing(wasRunning, false));
            migrationStarted = true;
            List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
            if (!paused) {
                replies.add(qmp.execute("stop", null, timeouts.qmpCommand()));
            }
            diskTransaction.ifPresent(t -> replies.add(qmp.execute("transaction", t, timeouts.qmpCommand())));
            replies.add(qmp.execute("migrate", Map.of("uri", receiver.uri()), timeouts.qmpCommand()));
            whilePaused.run();
            for (CompletableFuture<JsonNode> reply : replies) {
                join(reply);
            }
            if (!paused) {
                stopAt = await("STOP").timestampMicros();
                events.accept(new SnapshotEvent.Phase(vm, SnapshotPhase.STOP, stopAt));
            }
            // QEMU 7.2 resumes the guest itself once the device state is saved (even from a pause
            // that was ours); newer releases restore the prior run state and leave it paused. Ask
            // the VM, not the version string.
            Optional<QmpEvent> resumed = log.next(e -> e.name().equals("RESUME"), timeouts.pausedDeadline());
            if (resumed.isEmpty() && !running()) {
                call("cont", null);
                resumed = log.next(e -> e.name().equals("RESUME"), timeouts.pausedDeadline());
            }
            resumeAt = resumed.map(QmpEvent::timestampMicros).orElseGet(VmSnapshotJob::nowMicros);
            // QEMU's own stamps decide, whether or not the guard's timer got to run in time. A
            // resume that may have been the guard's is never taken: its cont can run the guest
            // before QEMU's migration thread stopped it to save the state.
            if (resumeAt - stopAt > limit.toNanos() / 1000) {
                throw abort("the VM stayed paused " + (resumeAt - stopAt) / 1000 + " ms, longer than the " + limit.toMillis()
                        + " ms deadline; it was resumed and the snapshot abandoned");
            }
            if (guard.mayHaveResumed(resumeAt)) {
                throw abort("the pause's " + limit.toMillis()
                        + " ms deadline passed before QEMU resumed the VM; it was resumed and the snapshot abandoned");
            }
        } finally {
            barrier = null;
        }
        events.accept(new SnapshotEvent.Phase(vm, SnapshotPhase.RESUME, resumeAt));
        if (!wasRunning) {
            call("stop", null);
        }
    }

    private void stopAndCopy() {
        guarding(u -> u.pausing(wasRunning, true));
        call("stop", null);
        stopAt = await("STOP").timestampMicros();
        events.accept(new SnapshotEvent.Phase(vm, SnapshotPhase.STOP, stopAt));
        fixDisks();
        // A migration that completes inactivates the VM's block layer, which breaks a backup job
        // still running: the disks are copied first (the cost stop-and-copy has anyway).
        awaitDiskJobs();
        startMigration();
        awaitMigration("completed");
        resume();
    }

    private void precopyToFinalStop() {
        // QEMU stops the guest itself for the final round and waits there for us.
        guarding(u -> u.pausing(wasRunning, true));
        startMigration();
        // The iterative copy runs with the guest live; QEMU stops it for the last round and waits
        // (pause-before-switchover) so the disks can be fixed at that same point.
        awaitMigration("pre-switchover", PRECOPY_BOUND);
        stopAt = lastStopEvent();
        events.accept(new SnapshotEvent.Phase(vm, SnapshotPhase.STOP, stopAt));
        fixDisks();
        // Switchover inactivates the block layer: the disk copies must be done before it.
        awaitDiskJobs();
        call("migrate-continue", Map.of("state", "pre-switchover"));
        awaitMigration("completed");
        resume();
    }

    /** Waits for the memory stream and our disk jobs; reports progress; fails on QEMU's error. */
    public VmPart fullSnapshot() {
        try {
            if (mode == SnapshotMode.HOTSNAP) {
                awaitCopies();
            }
            SnapshotFile memory = receiver.done().get(timeouts.qmpCommand().toMillis(), TimeUnit.MILLISECONDS);
            PrivateFiles.restrict(dir.resolve(memory.path()));
            List<DiskCopy> copies = new ArrayList<>();
            for (DiskInfo disk : disks) {
                copies.add(diskCopy(disk));
            }
            releaseTargets();
            restoreMigrationSettings();
            PrivateFiles.fsync(dir);
            long fullDoneAt = nowMicros();
            VmPart part = new VmPart(vm, qmp.version().toString(), process.map(QemuProcess::cmdline).orElse(List.of()),
                    endpoint.qmpTarget(), guestMemory, memory, copies, stopAt, resumeAt, transientDoneAt, fullDoneAt,
                    Eligibility.kernelRelease(), domain.orElse(null));
            store.writePart(id, part);
            events.accept(new SnapshotEvent.Phase(vm, SnapshotPhase.FULL_DONE, fullDoneAt));
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
        if (barrier != null) {
            barrier.close(); // resumed below, now, rather than at the guard's deadline
        }
        if (qmp != null && touched) {
            endOurMigration();
            for (String job : jobs) {
                quietly("cancel " + job, () -> call("block-job-cancel", Map.of("device", job, "force", true)));
            }
            if (wasRunning) {
                quietly("resume", () -> {
                    if (!running()) {
                        call("cont", null);
                    }
                });
            }
            waitForJobsToVanish();
            quietly("undo the overlays", this::undoOverlays);
            quietly("release targets", this::releaseTargets);
            quietly("restore migration settings", this::restoreMigrationSettings);
        }
        if (receiver != null) {
            receiver.close();
            quietly("remove the stream socket", () -> StreamSockets.remove(receiver.socket()));
        }
        quietly("remove partial files", () -> {
            if (!overlays.isEmpty()) {
                // Not undone (see the log above): the VM may still write to them, so they stay.
                LOG.error("{}: overlays {} could not be undone and are left in place: the VM may run on them", vm, overlays.values());
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
     * A background snapshot must run to its end: QEMU 7.2 cancelled (or cut off) mid-copy leaves
     * guest memory write-protected with no one to serve the faults, and the guest freezes or QEMU
     * deadlocks. So it is drained to completion (the receiver discards what it cannot store) and
     * only then thrown away. The baselines have no write protection and are cancelled at once.
     */
    private void endOurMigration() {
        if (!migrationStarted) {
            return;
        }
        if (mode != SnapshotMode.HOTSNAP) {
            quietly("migrate_cancel", () -> call("migrate_cancel", null));
            return;
        }
        quietly("let the background snapshot finish", () -> {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                String status = call("query-migrate", null).path("status").asText();
                if (!Set.of("setup", "active", "device", "cancelling").contains(status)) {
                    return;
                }
                sleep(POLL);
            }
            LOG.error("{}: the background snapshot did not end within 10 min; the guest may stay write-protected", vm);
        });
    }

    private void startMigration() {
        migrationStarted = true;
        call("migrate", Map.of("uri", receiver.uri()));
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

    // --- steps -----------------------------------------------------------------------------

    private void addBackupTarget(DiskInfo disk) throws IOException {
        Path target = dir.resolve(disk.device() + ".qcow2");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", target.toString(), Long.toString(disk.sizeBytes())),
                timeouts.qmpCommand());
        PrivateFiles.restrict(target);
        String node = DiskCopyNodes.node(disk.device());
        // A QEMU running as another user (libvirt's) cannot open our private file: it gets our descriptor.
        Optional<Integer> fdset = qemuIsAnotherUser() ? endpoint.passFile(target) : Optional.empty();
        fdset.ifPresent(fdsets::add);
        String filename = fdset.map(id -> "/dev/fdset/" + id).orElse(target.toString());
        call("blockdev-add", Map.of("driver", "qcow2", "node-name", node,
                "file", Map.of("driver", "file", "filename", filename)));
        targetNodes.add(node);
    }

    /** The disks' point-in-time, in one transaction while the guest is stopped. */
    private void fixDisks() {
        diskTransaction().ifPresent(t -> call("transaction", t));
    }

    /** The disks' point-in-time as one QMP transaction, to run while the guest is stopped. */
    private Optional<Map<String, Object>> diskTransaction() {
        if (disks.isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> actions = new ArrayList<>();
        for (DiskInfo disk : disks) {
            if (diskMode == DiskMode.COPY) {
                String job = DiskCopyNodes.job(disk.device());
                actions.add(Map.of("type", "blockdev-backup", "data", Map.of("device", source(disk),
                        "target", DiskCopyNodes.node(disk.device()), "sync", "full", "job-id", job)));
                jobs.add(job);
            } else {
                actions.add(Map.of("type", "blockdev-snapshot-sync", "data", Map.of("device", source(disk),
                        "snapshot-file", overlays.get(disk.device()).toString(), "format", "qcow2", "mode", "existing")));
            }
        }
        return Optional.of(Map.of("actions", actions));
    }

    private static String source(DiskInfo disk) {
        return disk.device().isEmpty() ? disk.nodeName() : disk.device();
    }

    /**
     * Beside the disk's file; a block device's (nothing may be created under {@code /dev}: it is RAM,
     * and not ours) in the part's directory.
     */
    private Path overlayOf(DiskInfo disk) {
        Path file = Path.of(disk.file());
        return file.startsWith("/dev") || !Files.isRegularFile(file) ? dir.resolve(disk.device() + ".overlay.qcow2")
                : Path.of(disk.file() + ".hotsnap-" + id + ".qcow2");
    }

    /** The overlay, 0600 before QEMU writes a byte of guest data into it; its backing named, not opened (QEMU holds the disk). */
    private void createOverlay(DiskInfo disk) throws IOException {
        Path overlay = overlayOf(disk);
        if (Files.exists(overlay)) {
            throw new IOException(overlay + " exists already: not ours to overwrite");
        }
        PrivateFiles.createFile(overlay);
        overlays.put(disk.device(), overlay);
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", disk.file(), "-F", disk.format(),
                overlay.toString(), Long.toString(disk.sizeBytes())), timeouts.qmpCommand());
    }

    /**
     * A failed overlay snapshot undone: a disk already on our overlay has the overlay committed back
     * into it (an active commit, pivoting to the disk itself), so the guest writes on its own disk
     * again and loses nothing written since; then the overlays are removed.
     */
    private void undoOverlays() {
        Map<String, String> topFiles = new LinkedHashMap<>();
        for (JsonNode dev : call("query-block", null)) {
            JsonNode inserted = dev.path("inserted");
            topFiles.put(inserted.path("file").asText(), inserted.path("node-name").asText());
        }
        for (Map.Entry<String, Path> o : List.copyOf(overlays.entrySet())) {
            String node = topFiles.get(o.getValue().toString());
            if (node != null) {
                String job = DiskCopyNodes.jobId("hotsnap-undo-" + node);
                call("block-commit", Map.of("job-id", job, "device", node));
                log.await(e -> e.name().equals("BLOCK_JOB_READY") && job.equals(e.data().path("device").asText()), Timeouts.DISK_JOB_STALL);
                call("block-job-complete", Map.of("device", job));
                QmpEvent done = log.await(e -> e.name().equals("BLOCK_JOB_COMPLETED") && job.equals(e.data().path("device").asText()),
                        Timeouts.DISK_JOB_STALL);
                if (done.data().has("error")) {
                    throw new IllegalStateException("committing " + o.getValue() + " back failed: " + done.data().path("error").asText());
                }
            }
            try {
                Files.deleteIfExists(o.getValue());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            overlays.remove(o.getKey());
        }
    }

    /** Migration and disk jobs to completion, with progress events; QEMU's failure reason if any. */
    private void awaitCopies() {
        awaitMigration("completed");
        awaitDiskJobs();
    }

    private void awaitDiskJobs() {
        for (String job : List.copyOf(jobs)) {
            QmpEvent done = log.await(e -> (e.name().equals("BLOCK_JOB_COMPLETED") || e.name().equals("BLOCK_JOB_ERROR"))
                    && job.equals(e.data().path("device").asText()), Duration.ofMinutes(30));
            if (done.name().equals("BLOCK_JOB_ERROR") || done.data().has("error")) {
                throw new IllegalStateException("disk copy " + job + " failed: " + done.data().path("error").asText(done.data().toString()));
            }
            jobs.remove(job);
        }
    }

    /** Until the copy reaches {@code wanted}, however long it takes while it moves (a slow store, a large VM). */
    private void awaitMigration(String wanted) {
        awaitMigration(wanted, null);
    }

    /**
     * @param bound how long it may take in all (precopy's convergence), or null: the copy is given
     *              up only once QEMU has sent nothing for {@link StreamLimits#memoryStall()}
     */
    private void awaitMigration(String wanted, Duration bound) {
        long started = System.nanoTime();
        Duration stall = StreamLimits.defaults().memoryStall();
        long lastBytes = 0;
        long lastAt = started;
        long sent = -1;
        long movedAt = started;
        while (true) {
            JsonNode info = call("query-migrate", null);
            String status = info.path("status").asText();
            if (status.equals(wanted)) {
                return;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                String why = info.path("error-desc").asText("QEMU gave no reason");
                throw new IllegalStateException("QEMU's memory copy " + status + ": " + why);
            }
            // Progress in guest memory covered (total − remaining): zero pages go by in a few bytes of the stream,
            // so the image's size would stop well short of the guest's RAM.
            JsonNode ram = info.path("ram");
            long total = ram.path("total").asLong(guestMemory);
            long done = ram.has("remaining") ? Math.max(0, total - ram.path("remaining").asLong()) : receiver.bytesReceived();
            long now = System.nanoTime();
            long rate = now > lastAt ? Math.max(0, done - lastBytes) * 1_000_000_000L / (now - lastAt) : 0;
            events.accept(new SnapshotEvent.Progress(vm, done, total, rate));
            lastBytes = done;
            lastAt = now;
            long transferred = ram.path("transferred").asLong(receiver.bytesReceived());
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
            log.next(e -> e.name().equals("MIGRATION"), POLL);
        }
    }

    private DiskCopy diskCopy(DiskInfo disk) throws IOException {
        Path image = diskMode == DiskMode.COPY ? dir.resolve(disk.device() + ".qcow2") : Path.of(disk.file());
        PrivateFiles.fsync(image);
        String relative = diskMode == DiskMode.COPY ? image.getFileName().toString() : image.toString();
        return new DiskCopy(disk.device(), disk.nodeName(), disk.file(), "qcow2", disk.sizeBytes(),
                new SnapshotFile(relative, Files.size(image), SnapshotFile.sha256(image)));
    }

    private void releaseTargets() {
        for (String node : List.copyOf(targetNodes)) {
            call("blockdev-del", Map.of("node-name", node));
            targetNodes.remove(node);
        }
        for (Integer fdset : List.copyOf(fdsets)) {
            call("remove-fd", Map.of("fdset-id", fdset));
            fdsets.remove(fdset);
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

    private void restoreMigrationSettings() {
        setCapabilities(capabilitiesToRestore());
        call("migrate-set-parameters", Map.of("max-bandwidth", bandwidthBefore));
    }

    /** The capabilities a snapshot changes, as they were before it. */
    private Map<String, Boolean> capabilitiesToRestore() {
        Map<String, Boolean> back = new LinkedHashMap<>();
        for (String cap : List.of("events", "background-snapshot", "pause-before-switchover", "auto-converge")) {
            if (capabilitiesBefore.containsKey(cap)) {
                back.put(cap, capabilitiesBefore.get(cap));
            }
        }
        return back;
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

    /**
     * Read back before any pause: a {@code migrate} without {@code background-snapshot} is a live
     * migration that ends with the guest paused (seen with a QEMU that libvirt had just restored).
     */
    private void confirmCapabilities(Map<String, Boolean> wanted) {
        Map<String, Boolean> now = new LinkedHashMap<>();
        for (JsonNode cap : call("query-migrate-capabilities", null)) {
            now.put(cap.path("capability").asText(), cap.path("state").asBoolean());
        }
        wanted.forEach((cap, state) -> {
            if (!state.equals(now.get(cap))) {
                throw new IllegalStateException("QEMU did not keep migration capability '" + cap + "' " + (state ? "on" : "off"));
            }
        });
    }

    private void setCapabilities(Map<String, Boolean> caps) {
        List<Map<String, Object>> list = new ArrayList<>();
        caps.forEach((k, v) -> list.add(Map.of("capability", k, "state", v)));
        call("migrate-set-capabilities", Map.of("capabilities", list));
    }

    private void resume() {
        if (!wasRunning) {
            resumeAt = nowMicros();
            return;
        }
        contAfterMigration();
        resumeAt = await("RESUME").timestampMicros();
        events.accept(new SnapshotEvent.Phase(vm, SnapshotPhase.RESUME, resumeAt));
    }

    /**
     * QEMU 7.2 reports a migration completed a moment before its run state leaves
     * {@code finish-migrate}, and refuses {@code cont} until then ("Migration is not finalized
     * yet"): retried briefly, on exactly that refusal.
     */
    private void contAfterMigration() {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            try {
                call("cont", null);
                return;
            } catch (QmpExecuteException e) {
                if (!e.description().contains("not finalized") || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(Duration.ofMillis(10));
            }
        }
    }

    private void waitForJobsToVanish() {
        long deadline = System.nanoTime() + timeouts.qmpCommand().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (call("query-block-jobs", null).isEmpty()) {
                    return;
                }
            } catch (RuntimeException e) {
                return;
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private long lastStopEvent() {
        // QEMU stopped the guest for the final round before pre-switchover; its STOP is waiting.
        return await("STOP").timestampMicros();
    }

    // --- QMP helpers -----------------------------------------------------------------------

    private JsonNode call(String command, Object args) {
        return qmp.call(command, args, timeouts.qmpCommand());
    }

    /** The reply, or QEMU's error as the exception {@link QmpClient#call} would throw. */
    private static JsonNode join(CompletableFuture<JsonNode> reply) {
        try {
            return reply.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the transient snapshot", e);
        }
    }

    private boolean running() {
        return call("query-status", null).path("running").asBoolean();
    }

    private QmpEvent await(String name) {
        return log.await(name, timeouts.qmpCommand());
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.debug("{}: {} during abort: {}", vm, what, e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
