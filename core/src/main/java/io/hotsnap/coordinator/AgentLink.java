package io.hotsnap.coordinator;

import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * How the coordinator talks to one agent, whatever carries the lines: a child process here, an SSH
 * channel in {@code ssh-transport}. Replies are matched to requests by id; events go to listeners.
 */
public interface AgentLink extends AutoCloseable {

    /** The name the coordinator knows this agent's host by ("local", or the SSH host). */
    String hostName();

    /**
     * Sends {@code request} (the link assigns its id) and returns its reply: an {@link Reply.Ok} or
     * the agent's {@link Reply.Error}. The future fails with a {@link ProtocolException} coded
     * {@code timeout} when no reply comes within {@code timeout} (a late one is then ignored), or
     * {@code link-lost} when the link ends first or has already ended.
     *
     * <p>The future may complete on the link's reader thread: chain blocking work with the
     * {@code ...Async} methods.
     */
    CompletableFuture<Reply> request(Request request, Duration timeout);

    /**
     * Sends {@code request}, waits for its reply and returns the result as {@code resultType}.
     *
     * @throws ProtocolException the agent's code and message for an error reply, or
     *                           {@code timeout} / {@code link-lost}
     */
    default <T> T call(Request request, Class<T> resultType, Duration timeout) {
        CompletableFuture<Reply> reply = request(request, timeout);
        try {
            // Bounded: the future fails by itself once the timeout passes.
            return ProtocolCodec.resultAs(reply.get(), resultType);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProtocolException p) {
                throw p;
            }
            throw new ProtocolException(ProtocolException.FAILED, "request to " + hostName() + " failed: " + e.getCause(), null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.cancel(false);
            throw new ProtocolException(ProtocolException.FAILED, "interrupted while waiting for " + hostName(), null, e);
        }
    }

    /**
     * Calls {@code listener} for every event from this agent, in arrival order and never from two
     * threads at once. It runs on the link's reader thread: it must not block, or replies wait too.
     */
    void addListener(Consumer<AgentEvent> listener);

    void removeListener(Consumer<AgentEvent> listener);

    /**
     * Completes when the link has ended: normally after {@link #close()}, exceptionally with a
     * {@link ProtocolException} coded {@code link-lost} when the agent went away by itself.
     */
    CompletableFuture<Void> closedFuture();

    /**
     * Ends the link: the agent gets a {@code shutdown} and the end of its input, releases whatever it
     * holds and exits. Pending requests fail with {@code link-lost}. Does not wait; calling it again
     * does nothing.
     */
    @Override
    void close();
}
