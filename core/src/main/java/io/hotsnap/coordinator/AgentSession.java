package io.hotsnap.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.settings.Waits;
import io.hotsnap.snapshot.VmPart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's view of one agent during a snapshot or restore: its clock offset, its events
 * published on the coordinator's clock, and (a snapshot's) one future per VM that completes with the
 * VM's part on DONE, or fails on ERROR or when the link is lost. While it is open, the agent gets
 * the coordinator's {@link Heartbeat}.
 */
final class AgentSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);
    static final int PINGS = 10;

    private final ClusterTarget target;
    private final ClockOffset offset;
    private final Consumer<ClusterEvent> publish;
    private final Map<String, CompletableFuture<VmPart>> parts = new LinkedHashMap<>();
    private volatile long lastHeard = System.nanoTime();
    private final Consumer<AgentEvent> listener = this::onEvent;
    private final Heartbeat heartbeat;

    AgentSession(ClusterTarget target, ClockOffset offset, Consumer<ClusterEvent> publish) {
        this.target = target;
        this.offset = offset;
        this.publish = publish;
        target.vms().forEach(vm -> parts.put(vm, new CompletableFuture<>()));
        target.link().addListener(listener);
        heartbeat = new Heartbeat(target.link());
        target.link().closedFuture().whenComplete((ok, lost) -> parts.values().forEach(f ->
                f.completeExceptionally(new IllegalStateException("link to " + host() + " ended before the VM's part was done"
                        + (lost != null ? ": " + rootMessage(lost) : "")))));
    }

    /**
     * hello (the agent must announce {@code capability}, else "cannot {@code what}"), then the clock
     * offset from the best of several pings.
     */
    static AgentSession open(ClusterTarget target, String capability, String what, Consumer<ClusterEvent> publish) {
        HelloResult hello = target.link().call(new Request.Hello(), HelloResult.class, Waits.AGENT_QUICK);
        if (!hello.capabilities().contains(capability)) {
            throw new IllegalStateException("the agent on " + target.link().hostName() + " cannot " + what
                    + " (capabilities " + hello.capabilities() + ")");
        }
        ClockOffset offset = ClockOffset.measure(target.link(), PINGS, Waits.AGENT_QUICK);
        LOG.info("Agent {}: clock offset {} µs ± {} µs", target.link().hostName(), offset.offsetMicros(), offset.uncertaintyMicros());
        return new AgentSession(target, offset, publish);
    }

    /**
     * Sends each session its request at once and waits for every reply: a phase's barrier. The
     * first error reply fails the phase (after every reply, or timeout, is in).
     *
     * @return every session's result, in the sessions' order
     */
    static List<JsonNode> all(List<AgentSession> sessions, Function<AgentSession, Request> request, Duration timeout) {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (AgentSession s : sessions) {
            replies.add(s.link().request(request.apply(s), timeout));
        }
        List<JsonNode> results = new ArrayList<>();
        RuntimeException first = null;
        for (int i = 0; i < replies.size(); i++) {
            try {
                results.add(ProtocolCodec.resultAs(replies.get(i).join(), JsonNode.class));
            } catch (RuntimeException e) {
                Throwable cause = unwrapped(e);
                if (first == null) {
                    first = new IllegalStateException(sessions.get(i).host() + ": " + cause.getMessage(), cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    /** The failure inside a reply future's CompletionException. */
    static Throwable unwrapped(RuntimeException e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return root.getMessage();
    }

    AgentLink link() {
        return target.link();
    }

    String host() {
        return target.link().hostName();
    }

    ClusterTarget target() {
        return target;
    }

    ClockOffset offset() {
        return offset;
    }

    CompletableFuture<VmPart> part(String vm) {
        return parts.get(vm);
    }

    /** How long since this agent last sent an event (its copies report progress several times a second). */
    Duration silentFor() {
        return Duration.ofNanos(System.nanoTime() - lastHeard);
    }

    /** Runs on the link's reader thread: only maps, publishes and completes, never blocks. */
    private void onEvent(AgentEvent e) {
        lastHeard = System.nanoTime();
        if (e.kind() == EventKind.LOG) {
            return; // the link already logged it; not part of the snapshot's timeline
        }
        publish.accept(new ClusterEvent(host(), e.seq(), e.kind(), e.vm(), offset.toCoordinatorMicros(e.hostTimeMicros()), e.data()));
        CompletableFuture<VmPart> part = e.vm() == null ? null : parts.get(e.vm());
        if (part == null) {
            return;
        }
        if (e.kind() == EventKind.DONE) {
            try {
                part.complete(JSON.treeToValue(e.data().path("part"), VmPart.class));
            } catch (java.io.IOException | IllegalArgumentException ex) {
                part.completeExceptionally(new IllegalStateException(e.vm() + ": unreadable part in DONE: " + ex.getMessage(), ex));
            }
        } else if (e.kind() == EventKind.ERROR) {
            JsonNode message = e.data().path("message");
            part.completeExceptionally(new IllegalStateException(e.vm() + " on " + host() + ": " + message.asText("full snapshot failed")));
        }
    }

    @Override
    public void close() {
        heartbeat.close();
        target.link().removeListener(listener);
    }
}
