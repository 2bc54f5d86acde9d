package io.hotsnap.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of the cluster protocol (DESIGN §4): reads requests, one JSON line each, and
 * writes one reply per request plus the handler's events, one line each, to the coordinator. In
 * production the streams are the process's stdin and stdout, so nothing else may write to that
 * output: logs go to stderr through SLF4J.
 *
 * <p>The reader thread (the caller of {@link #run()}) decodes each line and hands the request to a
 * worker, so a slow {@code snapshot} never delays a {@code ping} or an {@code abort}; {@code ping}
 * is answered on the reader thread itself, for a clock sample without a thread hop. A line that is
 * not a valid request gets an {@code error} reply and touches nothing. When the input ends without
 * a {@code shutdown}, the handler's {@link AgentHandler#coordinatorLost()} runs and {@code run}
 * returns.
 */
public final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    /** More requests in flight than this is a coordinator bug: refusing beats unbounded threads. */
    static final int MAX_CONCURRENT_REQUESTS = 16;

    private final BufferedReader in;
    private final LineOutput out;
    private final AgentHandler handler;
    private final ThreadPoolExecutor workers;
    private final AtomicBoolean coordinatorLost = new AtomicBoolean();
    private final AtomicBoolean outputBroken = new AtomicBoolean();
    /** Guarded by {@link #out}: numbers events in the order their lines are written. */
    private long lastSeq;

    /**
     * @param handlerFactory makes the handler, given where it sends its events
     */
    public Agent(InputStream in, OutputStream out, Function<AgentEventSink, AgentHandler> handlerFactory) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = new LineOutput(out);
        this.handler = handlerFactory.apply(this::emit);
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, MAX_CONCURRENT_REQUESTS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "agent-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Serves requests until a {@code shutdown} is answered or the input ends; then returns. */
    public void run() {
        LOG.info("Agent serving protocol v{} (pid {})", ProtocolCodec.VERSION, ProcessHandle.current().pid());
        try {
            String line;
            while ((line = in.readLine()) != null) {
                // A blank line carries no request to answer (an operator pressing Enter in a manual session).
                if (!line.isBlank() && !serve(line)) {
                    workers.shutdownNow();
                    return;
                }
            }
            LOG.warn("Coordinator lost: input ended without shutdown; releasing everything");
        } catch (IOException e) {
            LOG.warn("Coordinator lost: cannot read input ({}); releasing everything", e.getMessage());
        }
        loseCoordinator();
        // After the cleanup, not before: the handler knows what the running requests hold.
        workers.shutdownNow();
    }

    /** @return false once a {@code shutdown} has been answered */
    private boolean serve(String line) {
        Request request;
        try {
            Message message = ProtocolCodec.decode(line);
            if (!(message instanceof Request r)) {
                Long id = message instanceof Reply reply ? reply.id() : null;
                throw new ProtocolException(ProtocolException.BAD_REQUEST,
                        "'" + ProtocolCodec.typeOf(message) + "' is not a request", id);
            }
            request = r;
        } catch (ProtocolException e) {
            LOG.warn("Rejected a line from the coordinator: {}: {}", e.code(), e.getMessage());
            send(new Reply.Error(e.requestId(), e.code(), e.getMessage()));
            return true;
        }
        if (request instanceof Request.Ping) {
            answer(request);
            return true;
        }
        if (request instanceof Request.Shutdown) {
            // On the reader thread: nothing more is read once the goodbye is answered.
            answer(request);
            return false;
        }
        try {
            workers.execute(() -> answer(request));
        } catch (RejectedExecutionException e) {
            refuse(request, new ProtocolException(ProtocolException.BUSY,
                    MAX_CONCURRENT_REQUESTS + " requests already in progress", request.id()));
        }
        return true;
    }

    private void answer(Request request) {
        try {
            Object result = request.dispatchTo(handler);
            send(new Reply.Ok(request.id(), ProtocolCodec.toObject(result)));
        } catch (ProtocolException e) {
            refuse(request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(request, new ProtocolException(ProtocolException.FAILED, "interrupted: the agent is stopping", request.id()));
        } catch (Exception e) {
            LOG.warn("'{}' (id {}) failed", ProtocolCodec.typeOf(request), request.id(), e);
            send(new Reply.Error(request.id(), ProtocolException.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void refuse(Request request, ProtocolException why) {
        LOG.warn("'{}' (id {}) refused: {}: {}", ProtocolCodec.typeOf(request), request.id(), why.code(), why.getMessage());
        send(new Reply.Error(request.id(), why.code(), why.getMessage()));
    }

    private void emit(EventKind kind, String vm, long hostTimeMicros, Object data) {
        AgentEvent event;
        boolean written;
        synchronized (out) {
            event = new AgentEvent(++lastSeq, kind, vm, hostTimeMicros, ProtocolCodec.toObject(data));
            written = write(event);
        }
        if (!written) {
            loseCoordinator();
        }
    }

    private void send(Message message) {
        if (!write(message)) {
            loseCoordinator();
        }
    }

    private boolean write(Message message) {
        try {
            out.writeLine(ProtocolCodec.encode(message));
            return true;
        } catch (IOException e) {
            if (outputBroken.compareAndSet(false, true)) {
                LOG.warn("Cannot write to the coordinator ({}): treating it as lost", e.getMessage());
            }
            return false;
        }
    }

    private void loseCoordinator() {
        if (!coordinatorLost.compareAndSet(false, true)) {
            return;
        }
        try {
            handler.coordinatorLost();
        } catch (RuntimeException e) {
            LOG.error("Cleanup after losing the coordinator failed", e);
        }
    }
}
