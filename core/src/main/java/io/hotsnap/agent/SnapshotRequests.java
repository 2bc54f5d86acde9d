package io.hotsnap.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.vm.VmSources;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's snapshot requests: {@code prepare}, {@code hold}, {@code snapshot}, {@code release},
 * {@code abort}, {@code commit}, {@code traffic}, in every {@link ClusterMode}. Several snapshots may
 * be in flight, keyed by the coordinator's snapshot id. Whatever ends the coordinator's session
 * early (lost link, {@code shutdown} before {@code commit}) aborts what is left, so no VM stays
 * paused or held.
 */
final class SnapshotRequests implements AgentHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRequests.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VmSources sources;
    private final Timeouts timeouts;
    private final AgentEventSink sink;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Map<String, AgentSnapshot> snapshots = new ConcurrentHashMap<>();
    /** Snapshot ids whose {@code prepare} runs now: a second {@code prepare} of one id is refused, not raced. */
    private final Set<String> preparing = ConcurrentHashMap.newKeySet();
    /** Committed snapshots whose capture waits for {@code traffic}. */
    private final UnclaimedCaptures<AgentSnapshot> committed;
    /**
     * The stores of the snapshots this agent committed, by id: a cut is committed everywhere or
     * nowhere, so an {@code abort} after our commit (another host's commit failed) takes ours back.
     */
    private final Map<String, SnapshotStore> commits = new ConcurrentHashMap<>();

    SnapshotRequests(VmSources sources, Timeouts timeouts, AgentEventSink sink, ExecutorService workers, ScheduledExecutorService timer) {
        this.sources = sources;
        this.timeouts = timeouts;
        this.sink = sink;
        this.workers = workers;
        this.timer = timer;
        this.committed = new UnclaimedCaptures<>(timer, AgentSnapshot::discardCapture);
    }

    @Override
    public void addRoutes(RequestRoutes routes) {
        routes.on(Request.Prepare.class, this::prepare)
                .on(Request.Hold.class, this::hold)
                .on(Request.Snapshot.class, this::snapshot)
                .on(Request.Release.class, this::release)
                .on(Request.Abort.class, this::abort)
                .on(Request.Commit.class, this::commit)
                .on(Request.Traffic.class, this::traffic);
    }

    /** The capture modes this agent serves, announced in {@code hello}. */
    static List<String> modes() {
        return Arrays.stream(ClusterMode.values()).map(mode -> "mode:" + mode.cliName()).toList();
    }

    private Object prepare(Request.Prepare request) {
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
        SnapshotStore store = CatalogRequests.store(request.store());
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

    private Object hold(Request.Hold request) {
        long pause = request.pauseMillis() == null ? request.deadlineMillis() : request.pauseMillis();
        find(request.snapshotId()).hold(Duration.ofMillis(request.deadlineMillis()), Duration.ofMillis(pause));
        return null;
    }

    private Object snapshot(Request.Snapshot request) {
        find(request.snapshotId()).snapshot();
        return null;
    }

    private Object release(Request.Release request) {
        find(request.snapshotId()).release(request.vms(), "release");
        return null;
    }

    /**
     * Idempotent: aborting a snapshot this agent does not know (never prepared, already aborted) is
     * fine. One it committed is withdrawn: manifest first, then its files.
     */
    private Object abort(Request.Abort request) {
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
        committed.drop(id);
        try {
            store.delete(id);
        } catch (IOException e) {
            throw new ProtocolException(ProtocolException.FAILED, "cannot withdraw the committed snapshot " + store.dir(id) + ": "
                    + e.getMessage());
        }
        LOG.warn("Withdrew snapshot {}, committed here: {}", id, reason);
    }

    /** Writes the global manifest next to this host's parts: the snapshot exists, unless an abort withdraws it. */
    private Object commit(Request.Commit request) throws IOException {
        AgentSnapshot snapshot = find(request.snapshotId());
        Manifest manifest = JSON.treeToValue(request.manifest(), Manifest.class);
        if (!manifest.id().equals(request.snapshotId())) {
            throw new IllegalArgumentException("manifest is for " + manifest.id() + ", not " + request.snapshotId());
        }
        snapshot.store().commit(manifest);
        commits.put(request.snapshotId(), snapshot.store());
        snapshot.unlock();
        snapshots.remove(request.snapshotId());
        committed.keep(request.snapshotId(), snapshot);
        return Map.of("manifest", snapshot.store().dir(manifest.id()).resolve(SnapshotStore.MANIFEST).toString());
    }

    /** The committed snapshot's captured frames; its capture ends here. */
    private Object traffic(Request.Traffic request) {
        stands(request.snapshotId()); // asked after the commit everywhere
        AgentSnapshot snapshot = committed.claim(request.snapshotId());
        if (snapshot == null) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "no committed snapshot " + request.snapshotId()
                    + " with traffic on this agent (asked for twice, or too late)");
        }
        return snapshot.traffic(request.fromMicros() == null ? Long.MIN_VALUE : request.fromMicros());
    }

    /** The coordinator has gone past the commit everywhere: an {@code abort} can no longer withdraw our part. */
    void stands(String snapshotId) {
        commits.remove(snapshotId);
    }

    /** A coordinator that says goodbye before committing has given the snapshot up. */
    @Override
    public void shutdown() {
        abortAll("the coordinator shut the agent down before commit");
    }

    @Override
    public void coordinatorLost() {
        abortAll("coordinator lost");
    }

    /** Anything prepared, held or paused waits on the coordinator. */
    @Override
    public boolean awaitsCoordinator() {
        return !snapshots.isEmpty() || !preparing.isEmpty();
    }

    @Override
    public void coordinatorSilent(Duration silence) {
        abortAll(SnapshotAgentHandler.silenceReason(silence));
    }

    private void abortAll(String reason) {
        committed.dropAll();
        for (String id : List.copyOf(snapshots.keySet())) {
            AgentSnapshot snapshot = snapshots.remove(id);
            if (snapshot != null) {
                LOG.warn("Aborting snapshot {}: {}", id, reason);
                snapshot.abort(reason);
            }
        }
    }

    private AgentSnapshot find(String id) {
        AgentSnapshot snapshot = snapshots.get(id);
        if (snapshot == null) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "no snapshot " + id + " prepared on this agent");
        }
        return snapshot;
    }
}
