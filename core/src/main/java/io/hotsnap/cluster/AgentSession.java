package io.hotsnap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.AgentLink;
import io.hotsnap.protocol.ClockOffset;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.snapshot.VmPart;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The coordinator's view of one agent during a snapshot: its clock offset, and one future per VM
 * that completes with the VM's part on DONE, or fails on ERROR or when the link is lost.
 */
final class AgentSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterTarget target;
    private final ClockOffset offset;
    private final Consumer<ClusterEvent> publish;
    private final Map<String, CompletableFuture<VmPart>> parts = new LinkedHashMap<>();
    private final Consumer<AgentEvent> listener = this::onEvent;

    AgentSession(ClusterTarget target, ClockOffset offset, Consumer<ClusterEvent> publish) {
        this.target = target;
        this.offset = offset;
        this.publish = publish;
        target.vms().forEach(vm -> parts.put(vm, new CompletableFuture<>()));
        target.link().addListener(listener);
        target.link().closedFuture().whenComplete((ok, lost) -> parts.values().forEach(f ->
                f.completeExceptionally(new IllegalStateException("link to " + host() + " ended before the VM's part was done"
                        + (lost != null ? ": " + rootMessage(lost) : "")))));
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

    /** Runs on the link's reader thread: only maps, publishes and completes, never blocks. */
    private void onEvent(AgentEvent e) {
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
        target.link().removeListener(listener);
    }
}
