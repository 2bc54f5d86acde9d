package io.hotsnap.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.HostPaths;
import io.hotsnap.protocol.AgentEventSink;
import io.hotsnap.protocol.HostAgentHandler;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.settings.AgentBounds;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.BackingUsers;
import io.hotsnap.snapshot.DiskDetach;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.vm.SocketDirSource;
import io.hotsnap.vm.VmInventory;
import io.hotsnap.vm.VmSourceException;
import io.hotsnap.vm.VmSources;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's snapshot requests on top of the host requests: {@code prepare}, {@code hold},
 * {@code snapshot}, {@code release}, {@code abort}, {@code commit}, {@code traffic}, in every
 * {@link ClusterMode}; then {@code record} and {@code snapshots}, the store's {@link Catalog}; and the
 * restore requests ({@link AgentRestore}).
 * Several snapshots may be in flight, keyed by the coordinator's snapshot id. Whatever ends the coordinator's session early (lost link, {@code shutdown} before {@code commit})
 * aborts what is left, so no VM stays paused or held.
 */
public class SnapshotAgentHandler extends HostAgentHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAgentHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A committed snapshot's (or resumed restore's) capture waits this long for the coordinator's {@code traffic}, then is thrown away. */
    private static final Duration CAPTURE_KEPT = Duration.ofMinutes(2);

    private final VmSources sources;
    private final Timeouts timeouts;
    private final AgentEventSink sink;
    private final Map<String, AgentSnapshot> snapshots = new ConcurrentHashMap<>();
    /** Snapshot ids whose {@code prepare} runs now: a second {@code prepare} of one id is refused, not raced. */
    private final java.util.Set<String> preparing = ConcurrentHashMap.newKeySet();
    private final Map<String, AgentSnapshot> committed = new ConcurrentHashMap<>();
    /**
     * The stores of the snapshots this agent committed, by id: a cut is committed everywhere or
     * nowhere, so an {@code abort} after our commit (another host's commit failed) takes ours back.
     */
    private final Map<String, SnapshotStore> commits = new ConcurrentHashMap<>();
    /** Restores loaded and waiting for resume or abort, by the coordinator's restore id. */
    private final Map<String, AgentRestore> restores = new ConcurrentHashMap<>();
    /** Restores resumed whose capture waits for {@code restore-traffic}. */
    private final Map<String, AgentRestore> resumedCaptures = new ConcurrentHashMap<>();
    /** Restores loading now, and those of them aborted meanwhile: what they load is discarded the moment loading ends. */
    private final java.util.Set<String> loading = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> abortedWhileLoading = ConcurrentHashMap.newKeySet();
    /**
     * Restores discarded without the coordinator asking (it fell silent, or gave up during the load):
     * a coordinator that comes back is told why, and which in-place originals are down, not left guessing.
     */
    private final Map<String, Discarded> discarded = new ConcurrentHashMap<>();

    private record Discarded(String reason, List<String> originalsDown) {
        String text() {
            return reason + (originalsDown.isEmpty() ? "" : "; restored in place, " + String.join(", ", originalsDown)
                    + " had been shut down for it and " + (originalsDown.size() == 1 ? "is" : "are") + " not running now");
        }
    }
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("agent-vm"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("agent-hold-deadline"));

    /** This host's VM sources: the QMP sockets in {@link HostPaths#socketDir()}, libvirt, Proxmox. */
    public SnapshotAgentHandler(AgentEventSink sink) {
        this(VmSources.host(HostPaths.socketDir(), Timeouts.defaults()), Timeouts.defaults(), sink);
    }

    /** The VMs of one socket directory only (tests, with a directory of their own). */
    public SnapshotAgentHandler(Path socketDir, Timeouts timeouts, AgentEventSink sink) {
        this(new VmSources(List.of(new SocketDirSource(socketDir))), timeouts, sink);
    }

    public SnapshotAgentHandler(VmSources sources, Timeouts timeouts, AgentEventSink sink) {
        super(new VmInventory(sources, timeouts));
        this.sources = sources;
        this.timeouts = timeouts;
        this.sink = sink;
    }

    @Override
    protected List<String> capabilities() {
        List<String> all = new ArrayList<>(super.capabilities());
        all.addAll(List.of("prepare", "hold", "snapshot", "release", "abort", "commit", "traffic", "record", "snapshots", "delete", "detach",
                "restore-preflight", "restore-load", "restore-resume", "restore-traffic", "restore-abort", "restore-record"));
        for (ClusterMode mode : ClusterMode.values()) {
            all.add("mode:" + mode.cliName());
        }
        return all;
    }

    @Override
    public Object prepare(Request.Prepare request) {
        ClusterMode mode;
        try {
            mode = ClusterMode.parse(request.mode());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ProtocolException.UNSUPPORTED, "mode '" + request.mode() + "' is not served by this agent");
        }
        // Reserved before the check, so of two prepares of one id exactly one goes on.
        if (!preparing.add(request.snapshotId())) {
            throw new ProtocolException(ProtocolException.BUSY, "snapshot " + request.snapshotId() + " is being prepared already");
        }
        try {
            if (snapshots.containsKey(request.snapshotId())) {
                throw new ProtocolException(ProtocolException.BUSY, "snapshot " + request.snapshotId() + " is already prepared");
            }
            return prepare(request, mode);
        } finally {
            preparing.remove(request.snapshotId());
        }
    }

    private Object prepare(Request.Prepare request, ClusterMode mode) {
        SnapshotStore store = store(request.store());
        DiskMode disk = request.diskMode() != null ? DiskMode.parse(request.diskMode()) : DiskMode.COPY;
        List<String> abandoned = store.removeAbandoned();
        if (!abandoned.isEmpty()) {
            LOG.warn("Removed uncommitted snapshots left by an engine that died: {}", abandoned);
        }
        AgentSnapshot snapshot;
        try {
            AgentSnapshot.Plan plan = new AgentSnapshot.Plan(request.snapshotId(), mode, request.vms(),
                    request.staggerMillis() == null ? 0 : request.staggerMillis(), Boolean.TRUE.equals(request.capture()), disk);
            snapshot = AgentSnapshot.prepare(plan, sources, store, timeouts, sink, workers, timer);
        } catch (SnapshotException e) {
            // A refusal (unknown VM, vhost NIC, not eligible) is an answer, not a crash: no stack trace.
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
        snapshots.put(request.snapshotId(), snapshot);
        return Map.of("dir", store.dir(request.snapshotId()).toString());
    }

    @Override
    public Object hold(Request.Hold request) {
        find(request.snapshotId()).hold(Duration.ofMillis(request.deadlineMillis()));
        return null;
    }

    @Override
    public Object snapshot(Request.Snapshot request) {
        find(request.snapshotId()).snapshot();
        return null;
    }

    @Override
    public Object release(Request.Release request) {
        find(request.snapshotId()).release(request.vms(), "release");
        return null;
    }

    /**
     * Idempotent: aborting a snapshot this agent does not know (never prepared, already aborted) is
     * fine. One it committed is withdrawn: manifest first, then its files.
     */
    @Override
    public Object abort(Request.Abort request) {
        String reason = request.reason() == null ? "aborted by the coordinator" : request.reason();
        AgentSnapshot snapshot = snapshots.remove(request.snapshotId());
        if (snapshot != null) {
            snapshot.abort(reason);
        }
        SnapshotStore store = commits.remove(request.snapshotId());
        if (store != null) {
            withdraw(store, request.snapshotId(), reason);
        }
        return null;
    }

    private void withdraw(SnapshotStore store, String id, String reason) {
        drop(committed, id, AgentSnapshot::discardCapture);
        try {
            store.delete(id);
        } catch (IOException e) {
            throw new ProtocolException(ProtocolException.FAILED, "cannot withdraw the committed snapshot " + store.dir(id) + ": "
                    + e.getMessage());
        }
        LOG.warn("Withdrew snapshot {}, committed here: {}", id, reason);
    }

    /** Writes the global manifest next to this host's parts: the snapshot exists, unless an abort withdraws it. */
    @Override
    public Object commit(Request.Commit request) throws Exception {
        AgentSnapshot snapshot = find(request.snapshotId());
        Manifest manifest = JSON.treeToValue(request.manifest(), Manifest.class);
        if (!manifest.id().equals(request.snapshotId())) {
            throw new IllegalArgumentException("manifest is for " + manifest.id() + ", not " + request.snapshotId());
        }
        snapshot.store().commit(manifest);
        commits.put(request.snapshotId(), snapshot.store());
        snapshot.unlock();
        snapshots.remove(request.snapshotId());
        committed.put(request.snapshotId(), snapshot);
        dropUnclaimed(committed, request.snapshotId(), AgentSnapshot::discardCapture);
        return Map.of("manifest", snapshot.store().dir(manifest.id()).resolve(SnapshotStore.MANIFEST).toString());
    }

    /** The committed snapshot's captured frames; its capture ends here. */
    @Override
    public Object traffic(Request.Traffic request) {
        commits.remove(request.snapshotId()); // asked after the commit everywhere: ours stands
        AgentSnapshot snapshot = committed.remove(request.snapshotId());
        if (snapshot == null) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "no committed snapshot " + request.snapshotId()
                    + " with traffic on this agent (asked for twice, or too late)");
        }
        return snapshot.traffic(request.fromMicros() == null ? Long.MIN_VALUE : request.fromMicros());
    }

    /** The committed snapshot's report.json; refused, with nothing written, for a snapshot not committed in that store. */
    @Override
    public Object record(Request.Record request) throws IOException {
        commits.remove(request.snapshotId()); // recorded only once committed everywhere: ours stands
        Path file = new Catalog(store(request.store())).write(request.snapshotId(), request.record());
        return Map.of("report", file.toString());
    }

    @Override
    public Object snapshots(Request.Snapshots request) {
        return new Catalog(store(request.store())).listing();
    }

    /** Refused, deleting nothing, while a running VM of this host uses the snapshot's files. */
    @Override
    public Object delete(Request.Delete request) throws IOException {
        try {
            new Catalog(store(request.store())).delete(request.snapshotId(), new BackingUsers(sources, timeouts));
        } catch (SnapshotException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
        return Map.of("deleted", request.snapshotId());
    }

    @Override
    public Object detach(Request.Detach request) {
        try {
            return Map.of("vm", request.vm(), "detached",
                    new DiskDetach(timeouts).detach(request.vm(), sources.find(request.vm()).endpoint(), store(request.store()).root()));
        } catch (SnapshotException | VmSourceException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
    }

    @Override
    public Object restorePreflight(Request.RestorePreflight request) {
        try {
            return new PreflightResult(AgentRestore.preflight(store(request.store()), request.snapshotId(), request.vms(), restorer()));
        } catch (SnapshotException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
    }

    /** Loads every VM paused; the restore then waits here for {@code restore-resume} or {@code restore-abort}. */
    @Override
    public Object restoreLoad(Request.RestoreLoad request) {
        if (request.captureMillis() != null && request.captureMillis() > AgentBounds.MAX_CAPTURE_WINDOW.toMillis()) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "a capture window of " + request.captureMillis()
                    + " ms is refused: this agent allows at most " + AgentBounds.MAX_CAPTURE_WINDOW.toMillis() + " ms");
        }
        if (restores.containsKey(request.restoreId())) {
            throw new ProtocolException(ProtocolException.BUSY, "restore " + request.restoreId() + " is already loaded");
        }
        discarded.remove(request.restoreId());
        loading.add(request.restoreId());
        try {
            AgentRestore restore = AgentRestore.load(request.restoreId(), store(request.store()), request.snapshotId(), request.vms(),
                    restorer(), sink, Duration.ofMillis(request.captureMillis() == null ? 0 : request.captureMillis()));
            restores.put(request.restoreId(), restore);
            if (abortedWhileLoading.remove(request.restoreId()) && restores.remove(request.restoreId(), restore)) {
                String reason = "aborted while loading";
                Discarded gone = new Discarded(reason, restore.discard(reason));
                discarded.put(request.restoreId(), gone);
                throw new ProtocolException(ProtocolException.FAILED, "restore " + request.restoreId() + " was " + gone.text());
            }
            return null;
        } catch (SnapshotException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        } finally {
            loading.remove(request.restoreId());
            abortedWhileLoading.remove(request.restoreId());
        }
    }

    @Override
    public Object restoreResume(Request.RestoreResume request) {
        AgentRestore restore = restores.remove(request.restoreId());
        // Kept for the restore-abort that follows, whose answer names the originals down.
        Discarded gone = discarded.get(request.restoreId());
        if (restore == null && gone != null) {
            throw new ProtocolException(ProtocolException.FAILED, "restore " + request.restoreId() + " was discarded: " + gone.text());
        }
        if (restore == null) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "no restore " + request.restoreId() + " loaded on this agent");
        }
        try {
            Map<String, Object> resumed = Map.of("vms", restore.resume());
            if (restore.capturing()) {
                resumedCaptures.put(request.restoreId(), restore);
                dropUnclaimed(resumedCaptures, request.restoreId(), AgentRestore::discardCapture);
            }
            return resumed;
        } catch (SnapshotException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
    }

    /** The resumed restore's captured frames, once its window has passed; its capture ends here. */
    @Override
    public Object restoreTraffic(Request.RestoreTraffic request) {
        AgentRestore restore = resumedCaptures.remove(request.restoreId());
        if (restore == null) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "no resumed restore " + request.restoreId()
                    + " with traffic on this agent (not captured, asked for twice, or too late)");
        }
        return restore.traffic();
    }

    /** Idempotent, like {@code abort}: a restore this agent never loaded (or already resumed) has nothing to undo. */
    @Override
    public Object restoreAbort(Request.RestoreAbort request) {
        AgentRestore restore = restores.remove(request.restoreId());
        if (restore == null && loading.contains(request.restoreId())) {
            // The coordinator gave up waiting: the load discards itself when done.
            abortedWhileLoading.add(request.restoreId());
        }
        Discarded gone = discarded.remove(request.restoreId());
        List<String> stopped = restore == null ? (gone == null ? List.of() : gone.originalsDown())
                : restore.discard(request.reason() == null ? "aborted by the coordinator" : request.reason());
        return Map.of("originalsStopped", stopped);
    }

    @Override
    public Object restoreRecord(Request.RestoreRecord request) throws IOException {
        Path file = new Catalog(store(request.store())).writeRestore(request.snapshotId(), request.result());
        return Map.of("record", file.toString());
    }

    /** A coordinator that says goodbye before committing has given the snapshot up. */
    @Override
    public Object shutdown(Request.Shutdown request) {
        abortAll("the coordinator shut the agent down before commit");
        return null;
    }

    @Override
    public void coordinatorLost() {
        abortAll("coordinator lost");
    }

    /** Anything prepared, held, paused, loading or loaded and not resumed waits on the coordinator. */
    @Override
    public boolean awaitsCoordinator() {
        return !snapshots.isEmpty() || !preparing.isEmpty() || !restores.isEmpty() || !loading.isEmpty();
    }

    /**
     * As if the coordinator were lost; loads still running discard themselves when done, and the
     * restores discarded are remembered for a coordinator that comes back.
     */
    @Override
    public void coordinatorSilent(Duration silence) {
        abortedWhileLoading.addAll(loading);
        abortAll("nothing from the coordinator for " + silence.toMillis() + " ms (stopped or cut off)");
    }

    private void abortAll(String reason) {
        for (String id : List.copyOf(restores.keySet())) {
            AgentRestore restore = restores.remove(id);
            if (restore != null) {
                LOG.warn("Discarding restore {} loaded but not resumed: {}", id, reason);
                Discarded gone = new Discarded(reason, restore.discard(reason));
                discarded.put(id, gone);
                if (!gone.originalsDown().isEmpty()) {
                    LOG.warn("Restore {}: {}", id, gone.text());
                }
            }
        }
        for (String id : List.copyOf(resumedCaptures.keySet())) {
            drop(resumedCaptures, id, AgentRestore::discardCapture);
        }
        for (String id : List.copyOf(committed.keySet())) {
            drop(committed, id, AgentSnapshot::discardCapture);
        }
        for (String id : List.copyOf(snapshots.keySet())) {
            AgentSnapshot snapshot = snapshots.remove(id);
            if (snapshot != null) {
                LOG.warn("Aborting snapshot {}: {}", id, reason);
                snapshot.abort(reason);
            }
        }
    }

    /** A capture the coordinator has not asked for within {@link #CAPTURE_KEPT} is thrown away. */
    private <T> void dropUnclaimed(Map<String, T> waiting, String id, java.util.function.Consumer<T> discard) {
        timer.schedule(() -> drop(waiting, id, discard), CAPTURE_KEPT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Whoever removes it first (the request, the timer, an abort) discards it. */
    private static <T> void drop(Map<String, T> waiting, String id, java.util.function.Consumer<T> discard) {
        T unclaimed = waiting.remove(id);
        if (unclaimed != null) {
            discard.accept(unclaimed);
        }
    }

    private VmRestore restorer() {
        return new VmRestore(timeouts);
    }

    /** The store a request names, or the host's default. */
    private static SnapshotStore store(String dir) {
        return new SnapshotStore(dir != null ? Path.of(dir) : SnapshotStore.defaultRoot());
    }

    private AgentSnapshot find(String id) {
        AgentSnapshot snapshot = snapshots.get(id);
        if (snapshot == null) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "no snapshot " + id + " prepared on this agent");
        }
        return snapshot;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
