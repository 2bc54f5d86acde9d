package io.hotsnap.coordinator;

import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.Envelope;
import io.hotsnap.protocol.LineOutput;
import io.hotsnap.protocol.Message;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.PendingCalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AgentLink} over a pair of byte streams, whatever carries them (a child's pipes, an SSH
 * channel). One reader thread routes replies by id to the waiting callers and events to the
 * listeners, so an event can never be taken for a reply; when the stream ends, every pending
 * request fails with {@code link-lost}.
 */
public final class StreamAgentLink implements AgentLink {

    private static final Logger LOG = LoggerFactory.getLogger(StreamAgentLink.class);

    private final String hostName;
    private final InputStream fromAgent;
    private final LineOutput toAgent;
    private final Supplier<String> lossDetail;
    private final PendingCalls<Reply> pending;
    private final List<Consumer<AgentEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Events come from the reader and from a transport's own threads (stderr): one at a time to listeners. */
    private final Object deliveryLock = new Object();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** {@link #close} has begun: an end of the agent's output from now on is the goodbye answered. */
    private volatile boolean closing;

    private StreamAgentLink(String hostName, InputStream fromAgent, OutputStream toAgent, Supplier<String> lossDetail) {
        this.hostName = Objects.requireNonNull(hostName, "hostName");
        this.fromAgent = fromAgent;
        this.toAgent = new LineOutput(toAgent);
        this.lossDetail = lossDetail;
        this.pending = new PendingCalls<>((type, id, timeout) -> new ProtocolException(ProtocolException.TIMEOUT,
                "no reply to '" + type + "' (id " + id + ") from " + hostName + " within " + timeout, id),
                // A coordinator's stages on a reply may block: they run in the common pool, never on the timer QMP's deadlines share.
                ForkJoinPool.commonPool());
    }

    /**
     * Starts reading {@code fromAgent} (the agent's stdout) on a daemon thread.
     *
     * @param toAgent    the agent's stdin; closing the link closes it
     * @param lossDetail appended to the reason when the stream ends by itself (e.g. the agent
     *                   process's exit code); called at most once, on the reader thread
     */
    public static StreamAgentLink open(String hostName, InputStream fromAgent, OutputStream toAgent, Supplier<String> lossDetail) {
        StreamAgentLink link = new StreamAgentLink(hostName, fromAgent, toAgent, lossDetail);
        Thread reader = new Thread(link::readLoop, "agent-link-reader-" + hostName);
        reader.setDaemon(true);
        reader.start();
        return link;
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public CompletableFuture<Reply> request(Request request, Duration timeout) {
        Objects.requireNonNull(request, "request");
        String type = ProtocolCodec.typeOf(request);
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        long id = pending.register(type, reply, timeout);
        if (reply.isDone()) {
            return reply;
        }
        try {
            toAgent.writeLine(ProtocolCodec.encode(new Envelope(id, request)));
        } catch (IOException e) {
            reply.completeExceptionally(new ProtocolException(ProtocolException.LINK_LOST,
                    "cannot send '" + type + "' to the agent on " + hostName + ": " + e.getMessage(), id, e));
        }
        return reply;
    }

    @Override
    public void addListener(Consumer<AgentEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(Consumer<AgentEvent> listener) {
        listeners.remove(listener);
    }

    @Override
    public CompletableFuture<Void> closedFuture() {
        // A copy, so that no caller can complete the link's own future.
        return closed.copy();
    }

    /**
     * Sends a {@code shutdown} (not waiting for its reply), then closes the agent's input. The
     * goodbye lets the agent tell an orderly end from a lost coordinator; either way it releases
     * what it holds and exits.
     */
    @Override
    public void close() {
        // Before the goodbye: the agent may exit on it before this thread goes on, and the read
        // loop must then take the end of its output for the orderly end it is, not a lost link.
        closing = true;
        if (!ended.get()) {
            long id = pending.register("shutdown", new CompletableFuture<>(), Waits.AGENT_GOODBYE);
            try {
                toAgent.writeLine(ProtocolCodec.encode(new Envelope(id, new Request.Shutdown())));
            } catch (IOException e) {
                // The stream is gone already: ending the link is all that is left to do.
            }
        }
        end(closedByUs(), false);
    }

    private ProtocolException closedByUs() {
        return new ProtocolException(ProtocolException.LINK_LOST, "link to the agent on " + hostName + " closed");
    }

    /** Hands {@code event} to every listener; also used by transports for events they make (LOG lines). */
    public void deliver(AgentEvent event) {
        synchronized (deliveryLock) {
            for (Consumer<AgentEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("Agent event listener failed on {} from {}", event.kind(), hostName, e);
                }
            }
        }
    }

    private void readLoop() {
        String reason;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fromAgent, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                handle(line);
            }
            reason = "the agent on " + hostName + " ended the connection";
        } catch (IOException | RuntimeException e) {
            // RuntimeException too: whatever stops this thread must not leave callers waiting.
            reason = "the connection to the agent on " + hostName + " broke: " + e.getMessage();
        }
        if (!ended.get()) {
            end(closing ? closedByUs() : new ProtocolException(ProtocolException.LINK_LOST, reason + lossDetail.get()), !closing);
        }
    }

    private void handle(String line) {
        Message message;
        try {
            message = ProtocolCodec.decode(line);
        } catch (ProtocolException e) {
            // Not fatal: one stray line (something printed to stdout by mistake) must not cut the link.
            LOG.warn("Agent on {} wrote a line that is not protocol ({}): {}", hostName, e.getMessage(), abbreviate(line));
            return;
        }
        if (message instanceof Reply reply) {
            resolve(reply);
        } else if (message instanceof AgentEvent event) {
            deliver(event);
        } else {
            LOG.warn("Agent on {} sent a request, which agents never do: {}", hostName, abbreviate(line));
        }
    }

    private void resolve(Reply reply) {
        if (reply.id() == null) {
            // The agent could not read an id we sent: a bug on our side, worth a loud line.
            LOG.warn("Agent {} answered a request it could not read: {}", hostName, reply);
            return;
        }
        pending.take(reply.id()).ifPresentOrElse(call -> call.future().complete(reply),
                () -> LOG.debug("Ignoring reply {} from {}: timed out or cancelled", reply.id(), hostName));
    }

    private void end(ProtocolException reason, boolean lost) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        // The agent reads the end of its input as "coordinator gone" and releases what it holds.
        toAgent.close();
        pending.endAll(reason);
        if (lost) {
            LOG.warn("{}", reason.getMessage());
            closed.completeExceptionally(reason);
        } else {
            LOG.info("{}", reason.getMessage());
            closed.complete(null);
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
