package io.hotsnap.agent;

import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.PreflightResult;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.settings.AgentBounds;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.SnapshotException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's restore requests ({@link AgentRestore}): {@code restore-preflight},
 * {@code restore-load}, {@code restore-resume}, {@code restore-traffic}, {@code restore-abort}.
 * Whatever ends the coordinator's session early discards the loads not resumed, so no VM stays paused.
 */
final class RestoreRequests implements AgentHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreRequests.class);

    private final Timeouts timeouts;
    private final AgentEventSink sink;
    /** Restores loaded and waiting for resume or abort, by the coordinator's restore id. */
    private final Map<String, AgentRestore> restores = new ConcurrentHashMap<>();
    /** Restores resumed whose capture waits for {@code restore-traffic}. */
    private final UnclaimedCaptures<AgentRestore> resumedCaptures;
    /** Restores loading now, and those of them aborted meanwhile: what they load is discarded the moment loading ends. */
    private final Set<String> loading = ConcurrentHashMap.newKeySet();
    private final Set<String> abortedWhileLoading = ConcurrentHashMap.newKeySet();
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

    RestoreRequests(Timeouts timeouts, AgentEventSink sink, ScheduledExecutorService timer) {
        this.timeouts = timeouts;
        this.sink = sink;
        this.resumedCaptures = new UnclaimedCaptures<>(timer, AgentRestore::discardCapture);
    }

    @Override
    public void addRoutes(RequestRoutes routes) {
        routes.on(Request.RestorePreflight.class, this::preflight)
                .on(Request.RestoreLoad.class, this::load)
                .on(Request.RestoreResume.class, this::resume)
                .on(Request.RestoreTraffic.class, this::traffic)
                .on(Request.RestoreAbort.class, this::abort);
    }

    private Object preflight(Request.RestorePreflight request) {
        try {
            return new PreflightResult(AgentRestore.preflight(CatalogRequests.store(request.store()), request.snapshotId(), request.vms(),
                    restorer()));
        } catch (SnapshotException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
    }

    /** Loads every VM paused; the restore then waits here for {@code restore-resume} or {@code restore-abort}. */
    private Object load(Request.RestoreLoad request) {
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
            AgentRestore restore = AgentRestore.load(request.restoreId(), CatalogRequests.store(request.store()), request.snapshotId(),
                    request.vms(), restorer(), sink, Duration.ofMillis(request.captureMillis() == null ? 0 : request.captureMillis()));
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

    private Object resume(Request.RestoreResume request) {
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
                resumedCaptures.keep(request.restoreId(), restore);
            }
            return resumed;
        } catch (SnapshotException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
    }

    /** The resumed restore's captured frames, once its window has passed; its capture ends here. */
    private Object traffic(Request.RestoreTraffic request) {
        AgentRestore restore = resumedCaptures.claim(request.restoreId());
        if (restore == null) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "no resumed restore " + request.restoreId()
                    + " with traffic on this agent (not captured, asked for twice, or too late)");
        }
        return restore.traffic();
    }

    /** Idempotent, like {@code abort}: a restore this agent never loaded (or already resumed) has nothing to undo. */
    private Object abort(Request.RestoreAbort request) {
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
    public void shutdown() {
        discardAll("the coordinator shut the agent down before commit");
    }

    @Override
    public void coordinatorLost() {
        discardAll("coordinator lost");
    }

    /** Anything loading or loaded and not resumed waits on the coordinator. */
    @Override
    public boolean awaitsCoordinator() {
        return !restores.isEmpty() || !loading.isEmpty();
    }

    /**
     * As if the coordinator were lost; loads still running discard themselves when done, and the
     * restores discarded are remembered for a coordinator that comes back.
     */
    @Override
    public void coordinatorSilent(Duration silence) {
        abortedWhileLoading.addAll(loading);
        discardAll(SnapshotAgentHandler.silenceReason(silence));
    }

    private void discardAll(String reason) {
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
        resumedCaptures.dropAll();
    }

    private VmRestore restorer() {
        return new VmRestore(timeouts);
    }
}
