package io.hotsnap.coordinator;

import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An {@link AgentLink} whose lines run over a {@link StreamAgentLink} and that adds only how the
 * agent is started and ended (a child process, an SSH channel): requests, events and the link's
 * end are the stream's.
 */
public interface ForwardingAgentLink extends AgentLink {

    /** The stream the protocol runs over. */
    StreamAgentLink stream();

    @Override
    default CompletableFuture<Reply> request(Request request, Duration timeout) {
        return stream().request(request, timeout);
    }

    @Override
    default void addListener(Consumer<AgentEvent> listener) {
        stream().addListener(listener);
    }

    @Override
    default void removeListener(Consumer<AgentEvent> listener) {
        stream().removeListener(listener);
    }

    @Override
    default CompletableFuture<Void> closedFuture() {
        return stream().closedFuture();
    }
}
