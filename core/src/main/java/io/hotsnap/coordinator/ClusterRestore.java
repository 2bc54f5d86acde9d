package io.hotsnap.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hotsnap.host.HostClock;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.PreflightResult;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.restore.PreflightCheck;
import io.hotsnap.restore.RestorePhase;
import io.hotsnap.settings.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores VMs of one committed snapshot across several hosts' agents (DESIGN §6): a preflight
 * checklist from every host; then every host loads its VMs paused (the barrier), and only when all
 * have loaded are all resumed together, as the snapshot's cut was taken. If any host cannot load,
 * every host discards what it loaded (clones killed, overlays removed), so nothing is left half
 * restored. After the resume, the in-place VMs' TCP streams are watched for a short window ({@link RestoreTcp}).
 * The result (per-VM load time, resume skew, TCP resumption) is kept next to the snapshot on every host.
 */
public final class ClusterRestore {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRestore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How long after the resume the TCP streams are watched by default: long enough for Linux's
     * first retransmission timeouts (200 ms, doubling) to bring a stream back, short enough to keep
     * the wizard waiting only seconds.
     */
    public static final Duration TCP_WINDOW = Duration.ofSeconds(3);

    private final String snapshotId;
    private final String store;
    private final List<RestoreTarget> targets;
    private final Consumer<ClusterEvent> listener;
    private final Duration tcpWindow;

    /** @param store every host's snapshot store, or null for each host's default */
    public ClusterRestore(String snapshotId, String store, List<RestoreTarget> targets, Consumer<ClusterEvent> listener) {
        this(snapshotId, store, targets, listener, TCP_WINDOW);
    }

    /** @param tcpWindow how long to watch the TCP streams after the resume; zero: not at all */
    public ClusterRestore(String snapshotId, String store, List<RestoreTarget> targets, Consumer<ClusterEvent> listener,
                          Duration tcpWindow) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no agents");
        }
        if (tcpWindow.isNegative()) {
            throw new IllegalArgumentException("the TCP window must not be negative");
        }
        this.snapshotId = snapshotId;
        this.store = store;
        this.targets = List.copyOf(targets);
        this.listener = listener;
        this.tcpWindow = tcpWindow;
    }

    /**
     * Every check of every VM, by host (as the agents name themselves), asked of all hosts at once.
     * Touches nothing anywhere.
     *
     * @throws ClusterException when a host cannot answer (the checklist would be incomplete)
     */
    public Map<String, List<PreflightCheck>> preflight() {
        List<CompletableFuture<Reply>> replies = targets.stream()
                .map(t -> t.link().request(new Request.RestorePreflight(snapshotId, store, t.vms()), Waits.RESTORE_PREFLIGHT)).toList();
        Map<String, List<PreflightCheck>> checks = new LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            String host = targets.get(i).link().hostName();
            try {
                // Two links to one host (as in tests) list under that host together.
                checks.computeIfAbsent(host, h -> new ArrayList<>())
                        .addAll(ProtocolCodec.resultAs(replies.get(i).join(), PreflightResult.class).checks());
            } catch (RuntimeException e) {
                throw new ClusterException("preflight on " + host + " failed: " + AgentSession.unwrapped(e).getMessage(), e);
            }
        }
        return checks;
    }

    /**
     * Loads everywhere, then resumes everywhere; the result, or a {@link ClusterException} saying
     * plainly what was undone (and, in place, which original VMs had already been shut down).
     */
    public RestoreResult restore() {
        String restoreId = Coordinator.newId();
        List<AgentSession> sessions = new ArrayList<>();
        try {
            for (RestoreTarget target : targets) {
                sessions.add(AgentSession.open(target.asCluster(), "restore-load", "restore VMs", this::publish));
            }
            long start = HostClock.wallMicros();
            try {
                AgentSession.all(sessions, s -> new Request.RestoreLoad(restoreId, snapshotId, store, targetOf(s, sessions).vms(),
                        captures(targetOf(s, sessions)) ? tcpWindow.toMillis() : null), Waits.RESTORE_LOAD);
            } catch (RuntimeException e) {
                throw abort(restoreId, "loading failed: " + e.getMessage(), e);
            }
            double loadMs = (HostClock.wallMicros() - start) / 1000.0;
            publish(new ClusterEvent(ClusterEvent.COORDINATOR, 1, EventKind.RESTORE, null, HostClock.wallMicros(),
                    JsonNodeFactory.instance.objectNode().put("phase", RestorePhase.BARRIER.wireName()).put("loadMs", loadMs)));
            List<JsonNode> resumed;
            try {
                resumed = AgentSession.all(sessions, s -> new Request.RestoreResume(restoreId), Waits.AGENT_QUICK);
            } catch (RuntimeException e) {
                throw abort(restoreId, "resuming failed after every host had loaded (VMs that resumed run on): " + e.getMessage(), e);
            }
            RestoreResult result = result(restoreId, sessions, resumed, loadMs);
            if (!tcpWindow.isZero()) {
                result = result.withTcp(tcp(restoreId, sessions, result), tcpWindow.toNanos() / 1e6);
                RestoreTcp.events(result, HostClock.wallMicros()).forEach(this::publish);
            }
            keepRecord(sessions, result);
            return result;
        } catch (ClusterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw abort(restoreId, e.getMessage(), e);
        } finally {
            sessions.forEach(AgentSession::close);
        }
    }

    private RestoreResult result(String restoreId, List<AgentSession> sessions, List<JsonNode> resumed, double loadMs) {
        List<RestoreResult.RestoredVmResult> vms = new ArrayList<>();
        double uncertainty = 0;
        for (int i = 0; i < sessions.size(); i++) {
            AgentSession s = sessions.get(i);
            uncertainty = Math.max(uncertainty, s.offset().uncertaintyMicros() / 1000.0);
            for (JsonNode vm : resumed.get(i).path("vms")) {
                vms.add(new RestoreResult.RestoredVmResult(s.host(), vm.path("vm").asText(), vm.path("as").asText(),
                        vm.path("inPlace").asBoolean(), vm.path("loadMs").asDouble(),
                        s.offset().toCoordinatorMicros(vm.path("resumedAt").asLong())));
            }
        }
        long first = vms.stream().mapToLong(RestoreResult.RestoredVmResult::resumedAt).min().orElse(0);
        long last = vms.stream().mapToLong(RestoreResult.RestoredVmResult::resumedAt).max().orElse(0);
        return new RestoreResult(restoreId, snapshotId, vms, loadMs, (last - first) / 1000.0, uncertainty, null, null);
    }

    /** Only VMs restored in place have streams to resume: a clone's network goes nowhere. */
    private boolean captures(RestoreTarget target) {
        return !tcpWindow.isZero() && target.vms().stream().anyMatch(v -> v.asClone() == null);
    }

    /** The in-place VMs' captures, analysed; a failure costs the TCP figures only: the VMs run. */
    private TcpReport tcp(String restoreId, List<AgentSession> sessions, RestoreResult result) {
        List<AgentSession> capturing = sessions.stream().filter(s -> captures(targetOf(s, sessions))).toList();
        if (capturing.isEmpty()) {
            return TcpReport.unavailable(RestoreTcp.CLONES);
        }
        try {
            return RestoreTcp.analyze(AgentTraffic.collect(capturing, s -> new Request.RestoreTraffic(restoreId), tcpWindow.plus(Waits.AGENT_TRAFFIC)),
                    result);
        } catch (RuntimeException e) {
            // A host without frames, or frames the analysis cannot place: never a reason to undo running VMs.
            LOG.warn("Restore {}: no TCP figures: {}", restoreId, e.getMessage());
            return TcpReport.unavailable(e.getMessage());
        }
    }

    /** The result next to the snapshot on every host; a failure costs that host's record only: the VMs run. */
    private void keepRecord(List<AgentSession> sessions, RestoreResult result) {
        JsonNode json = JSON.valueToTree(result);
        try {
            AgentSession.all(sessions, s -> new Request.RestoreRecord(snapshotId, store, json), Waits.AGENT_QUICK);
        } catch (RuntimeException e) {
            LOG.warn("Restore {} of {} not recorded: {}", result.restoreId(), snapshotId, e.getMessage());
        }
    }

    /** Every agent discards what it loaded; the exception names the in-place originals that were already shut down. */
    private ClusterException abort(String restoreId, String reason, Throwable cause) {
        LOG.warn("Restore {} of {} failed, discarding everywhere: {}", restoreId, snapshotId, reason);
        List<CompletableFuture<Reply>> replies = targets.stream()
                .map(t -> t.link().request(new Request.RestoreAbort(restoreId, reason), Waits.RESTORE_LOAD)).toList();
        List<String> stopped = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            try {
                ProtocolCodec.resultAs(replies.get(i).join(), JsonNode.class).path("originalsStopped").forEach(n -> stopped.add(n.asText()));
            } catch (RuntimeException e) {
                // That agent discards on its own when this coordinator goes (lost-coordinator cleanup).
                LOG.warn("Abort of restore {} on {} failed: {}", restoreId, targets.get(i).link().hostName(), e.getMessage());
            }
        }
        String inPlace = stopped.isEmpty() ? "" : "; restored in place, " + String.join(", ", stopped)
                + " had already been shut down and " + (stopped.size() == 1 ? "is" : "are") + " not running now";
        return new ClusterException("restore of " + snapshotId + " aborted: " + reason
                + "; every VM it had started was stopped and its overlays removed" + inPlace, cause);
    }

    private RestoreTarget targetOf(AgentSession s, List<AgentSession> sessions) {
        return targets.get(sessions.indexOf(s));
    }

    private void publish(ClusterEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("Restore event listener failed on {}: {}", event, e.getMessage());
        }
    }
}
