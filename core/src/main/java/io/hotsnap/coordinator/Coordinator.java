package io.hotsnap.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.HostClock;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.settings.StreamLimits;
import io.hotsnap.settings.Waits;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.VmPart;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one cluster snapshot through any number of agents (DESIGN §4): hello and clock offsets,
 * prepare everywhere, the mode's barrier step everywhere (holds on, or VMs paused; every agent
 * acknowledges before any VM reaches its snapshot point), snapshot everywhere at once, wait for
 * every part, commit the global manifest (published as {@link io.hotsnap.protocol.EventKind#COMMITTED}),
 * collect the traffic captures and analyse them, and leave the record (result and events) on every
 * host. Any failure up to the commit, the commit on any one host included, aborts on every agent, so
 * nothing is left held, paused, half written or committed on some hosts only. Every event is
 * published on the coordinator's clock.
 */
public final class Coordinator {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Duration PART_POLL = Duration.ofSeconds(1);
    /** Barrier mode pauses VMs across a coordinator round trip: bounded far tighter than a hold. */
    static final Duration BARRIER_PAUSE = Duration.ofSeconds(2);

    private final List<ClusterTarget> targets;
    private final ClusterOptions options;
    private final Consumer<ClusterEvent> listener;
    private final Timeline timeline = new Timeline();
    private volatile SnapshotRecord record;

    public Coordinator(List<ClusterTarget> targets, ClusterOptions options, Consumer<ClusterEvent> listener) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no agents");
        }
        this.targets = List.copyOf(targets);
        this.options = options;
        this.listener = listener;
    }

    /** One cut; the committed result, or a {@link ClusterException} after aborting everywhere. */
    public ClusterResult snapshot() {
        String id = newId();
        List<AgentSession> sessions = new ArrayList<>();
        boolean committed = false;
        try {
            for (ClusterTarget target : targets) {
                sessions.add(open(target));
            }
            AgentSession.all(sessions, s -> new Request.Prepare(id, mode(), s.target().vms(), options.store(), options.diskMode().cliName(),
                    options.staggerMillis(), options.capture()), Waits.AGENT_PREPARE);
            AgentSession.all(sessions, s -> hold(id), Waits.AGENT_QUICK);
            long snapshotAt = HostClock.wallMicros();
            // The baselines copy all memory inside their "transient" step.
            AgentSession.all(sessions, s -> new Request.Snapshot(id), options.mode().vmMode() == io.hotsnap.snapshot.SnapshotMode.HOTSNAP ? Waits.AGENT_SNAPSHOT : Waits.AGENT_FULL_COPY);
            List<VmPart> parts = new ArrayList<>();
            for (AgentSession s : sessions) {
                for (String vm : s.target().vms()) {
                    parts.add(awaitPart(s, vm));
                }
            }
            JsonNode manifest = JSON.valueToTree(new Manifest(Manifest.VERSION, id, hostOf(sessions), HostClock.wallMicros(), mode(),
                    options.diskMode().cliName(), Manifest.COMMITTED, parts));
            commit(id, sessions, manifest);
            committed = true;
            long committedAt = HostClock.wallMicros();
            double commitMs = (committedAt - snapshotAt) / 1000.0;
            publish(ClusterEvent.committed(id, commitMs, committedAt));
            ClusterResult result = timeline.result(id, mode(), commitMs, sessions, parts);
            ClusterResult done = options.capture() ? result.withTcp(traffic(id, sessions, result)) : result;
            record = SnapshotRecord.of(done, timeline.events());
            keepRecord(id, sessions, record);
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abort(id, sessions, "interrupted", e);
        } catch (ExecutionException e) {
            throw abort(id, sessions, e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw abort(id, sessions, e.getMessage(), e);
        } catch (RuntimeException e) {
            if (committed) {
                // An abort now would withdraw a cut that every host holds whole.
                throw new ClusterException("cluster snapshot " + id + " is committed, but then: " + e.getMessage(), e);
            }
            throw abort(id, sessions, e.getMessage(), e);
        } finally {
            sessions.forEach(AgentSession::close);
        }
    }

    /**
     * The barrier step's request. Barrier-covered VMs are paused across a coordinator round trip,
     * bounded far tighter than a hold: in barrier mode by the one deadline, in auto mode apart from
     * the holds'. Either way every agent acknowledges its pauses and holds before any VM is asked
     * for its snapshot point, so a barrier-covered VM is paused before any other's point.
     */
    private Request.Hold hold(String id) {
        return switch (options.mode()) {
            case BARRIER -> new Request.Hold(id, BARRIER_PAUSE.toMillis());
            case AUTO -> new Request.Hold(id, options.holdDeadline().toMillis(), BARRIER_PAUSE.toMillis());
            default -> new Request.Hold(id, options.holdDeadline().toMillis());
        };
    }

    /**
     * The manifest on every host, or on none: when one host's commit fails, the abort that follows
     * withdraws it from the hosts that had already committed.
     */
    private static void commit(String id, List<AgentSession> sessions, JsonNode manifest) {
        try {
            AgentSession.all(sessions, s -> new Request.Commit(id, manifest), Waits.AGENT_QUICK);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the commit failed on " + e.getMessage() + "; the cut is withdrawn from every host", e);
        }
    }

    /**
     * A VM's part, however long its copy takes while its agent reports progress; given up once the
     * agent has said nothing for longer than its own stall bound on the copy.
     */
    private static VmPart awaitPart(AgentSession s, String vm) throws InterruptedException, ExecutionException, TimeoutException {
        Duration silence = StreamLimits.defaults().memoryStall().plus(Waits.AGENT_QUICK);
        while (true) {
            try {
                return s.part(vm).get(PART_POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (s.silentFor().compareTo(silence) > 0) {
                    throw new TimeoutException("no word from " + s.host() + " on " + vm + "'s full snapshot for " + silence.toSeconds() + " s");
                }
            }
        }
    }

    /**
     * The committed cut's captures, analysed. A failure here costs the measurement only: the
     * snapshot is committed, and the result says why its TCP figures are missing.
     */
    private TcpReport traffic(String id, List<AgentSession> sessions, ClusterResult result) {
        // Only from just before the cut: a precopy's minutes of live rounds would swamp the reply.
        long from = timeline.cutBegan() - Timeline.LEAD_IN_MICROS;
        try {
            return timeline.tcp(AgentTraffic.collect(sessions, s -> new Request.Traffic(id, s.offset().toAgentMicros(from)), Waits.AGENT_TRAFFIC), result);
        } catch (AgentTraffic.Missing e) {
            LOG.warn("No traffic analysis of {}: {}", id, e.getMessage());
            return TcpReport.unavailable(e.getMessage());
        }
    }

    /**
     * report.json on every agent's host. A failure costs that host's record only: the snapshot is
     * committed and its result stands.
     */
    private void keepRecord(String id, List<AgentSession> sessions, SnapshotRecord record) {
        JsonNode json = JSON.valueToTree(record);
        List<CompletableFuture<Reply>> replies = sessions.stream()
                .map(s -> s.link().request(new Request.Record(id, options.store(), json), Waits.AGENT_QUICK)).toList();
        for (int i = 0; i < sessions.size(); i++) {
            try {
                ProtocolCodec.resultAs(replies.get(i).join(), JsonNode.class);
            } catch (RuntimeException e) {
                LOG.warn("No report.json for snapshot {} on {}: {}", id, sessions.get(i).host(), AgentSession.unwrapped(e).getMessage());
            }
        }
    }

    /**
     * What the last committed {@link #snapshot()} recorded (what its report.json holds); empty
     * before, or when it failed.
     */
    public Optional<SnapshotRecord> record() {
        return Optional.ofNullable(record);
    }

    /** hello (the agent must serve this mode), then the clock offset from the best of several pings. */
    private AgentSession open(ClusterTarget target) {
        return AgentSession.open(target, "mode:" + mode(), "take '" + mode() + "' snapshots", this::publish);
    }

    private String mode() {
        return options.mode().cliName();
    }

    private void publish(ClusterEvent event) {
        timeline.add(event);
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("Cluster event listener failed on {}: {}", event, e.getMessage());
        }
    }

    /** Tells every agent to abort (they release, resume and delete), then returns the exception to throw. */
    private ClusterException abort(String id, List<AgentSession> opened, String reason, Throwable cause) {
        LOG.warn("Cluster snapshot {} failed, aborting everywhere: {}", id, reason);
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (ClusterTarget target : targets) {
            replies.add(target.link().request(new Request.Abort(id, reason), Waits.AGENT_PREPARE));
        }
        for (int i = 0; i < replies.size(); i++) {
            try {
                ProtocolCodec.resultAs(replies.get(i).join(), JsonNode.class);
            } catch (RuntimeException e) {
                // That agent's own safety net (lost coordinator, hold deadline, pause guard) remains.
                LOG.warn("Abort of {} on {} failed: {}", id, targets.get(i).link().hostName(), e.getMessage());
            }
        }
        return new ClusterException("cluster snapshot " + id + " aborted: " + reason, cause);
    }

    private static String hostOf(List<AgentSession> sessions) {
        List<String> hosts = sessions.stream().map(AgentSession::host).distinct().toList();
        return hosts.size() == 1 ? hosts.get(0) : String.join(",", hosts);
    }

    /** Same shape as a local snapshot's id, so both sort together in one store. */
    static String newId() {
        return LocalDateTime.now().format(ID_TIME) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }
}
