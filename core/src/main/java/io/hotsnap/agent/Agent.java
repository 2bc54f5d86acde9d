package io.hotsnap.agent;

import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.BoundedLineReader;
import io.hotsnap.protocol.Envelope;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.LineOutput;
import io.hotsnap.protocol.Message;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import io.hotsnap.settings.AgentBounds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 * not a valid request (or longer than {@link AgentBounds#MAX_REQUEST_LINE_BYTES}) gets an
 * {@code error} reply and touches nothing. {@code abort} and {@code restore-abort} have workers of
 * their own, so they never wait behind other requests. When the input ends without a
 * {@code shutdown}, or the reader thread fails (out of memory), the handler's
 * {@link AgentHandler#coordinatorLost()} runs and {@code run} ends. While the handler
 * {@linkplain AgentHandler#awaitsCoordinator() awaits the coordinator}, a coordinator silent for the
 * heartbeat bound gets {@link AgentHandler#coordinatorSilent}, and the agent serves on.
 */
public final class Agent {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    /** More requests in flight than this is a coordinator bug: refusing beats unbounded threads. */
    static final int MAX_CONCURRENT_REQUESTS = 16;

    private final BoundedLineReader in;
    private final LineOutput out;
    private final AgentHandler handler;
    private final RequestRoutes routes = new RequestRoutes();
    private final ThreadPoolExecutor workers;
    /** For the requests that give things up: they must run even when every worker is busy. */
    private final ThreadPoolExecutor releasers;
    private final ScheduledExecutorService watchdog;
    private final Duration heartbeatSilence;
    /** When the last line came from the coordinator ({@link System#nanoTime()}). */
    private volatile long lastHeard = System.nanoTime();
    /**
     * Set while the coordinator is silent past the bound: events are then dropped, not written, so a
     * stopped coordinator's full pipe cannot block the release that must happen without it.
     */
    private volatile boolean silenced;
    private final AtomicBoolean coordinatorLost = new AtomicBoolean();
    private final AtomicBoolean outputBroken = new AtomicBoolean();
    /** Guarded by {@link #out}: numbers events in the order their lines are written. */
    private long lastSeq;

    /**
     * @param handlerFactory makes the handler, given where it sends its events
     */
    public Agent(InputStream in, OutputStream out, Function<AgentEventSink, AgentHandler> handlerFactory) {
        this(in, out, handlerFactory, AgentBounds.HEARTBEAT_SILENCE);
    }

    /** @param heartbeatSilence how long a coordinator may be silent while the handler awaits it (tests shorten it) */
    Agent(InputStream in, OutputStream out, Function<AgentEventSink, AgentHandler> handlerFactory, Duration heartbeatSilence) {
        this.in = new BoundedLineReader(in, AgentBounds.MAX_REQUEST_LINE_BYTES);
        this.out = new LineOutput(out);
        this.handler = handlerFactory.apply(this::emit);
        handler.addRoutes(routes);
        this.heartbeatSilence = heartbeatSilence;
        this.workers = pool("agent-worker");
        this.releasers = pool("agent-abort");
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("agent-heartbeat-watch"));
    }

    private static ThreadPoolExecutor pool(String name) {
        return new ThreadPoolExecutor(0, MAX_CONCURRENT_REQUESTS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon(name));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger threads = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Serves requests until a {@code shutdown} is answered or the input ends; then returns. */
    public void run() {
        LOG.info("Agent serving protocol v{} (pid {})", ProtocolCodec.VERSION, ProcessHandle.current().pid());
        long tick = Math.max(1, heartbeatSilence.toMillis() / 10);
        watchdog.scheduleWithFixedDelay(this::checkHeartbeat, tick, tick, TimeUnit.MILLISECONDS);
        boolean shutdown = false;
        try {
            shutdown = serveLines();
        } catch (IOException e) {
            LOG.warn("Coordinator lost: cannot read input ({}); releasing everything", e.getMessage());
        } catch (Error e) {
            // Out of memory or stack on the reader thread: the agent cannot go on, but it still owes its VMs their release.
            LOG.error("Agent failing; releasing everything before it ends", e);
            throw e;
        } finally {
            watchdog.shutdownNow();
            if (!shutdown) {
                loseCoordinator();
            }
            // After the cleanup, not before: the handler knows what the running requests hold.
            workers.shutdownNow();
            releasers.shutdownNow();
        }
    }

    /** @return true once a {@code shutdown} has been answered, false when the input ended */
    private boolean serveLines() throws IOException {
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (ProtocolException tooLong) {
                heard();
                LOG.warn("Rejected a line from the coordinator: {}: {}", tooLong.code(), tooLong.getMessage());
                send(new Reply.Error(null, tooLong.code(), tooLong.getMessage()));
                continue;
            }
            if (line == null) {
                LOG.warn("Coordinator lost: input ended without shutdown; releasing everything");
                return false;
            }
            heard();
            // A blank line carries no request to answer (an operator pressing Enter in a manual session).
            if (!line.isBlank() && !serve(line)) {
                return true;
            }
        }
    }

    /** Any line proves the coordinator alive: its heartbeat is the {@code ping} it sends while a session is open. */
    private void heard() {
        lastHeard = System.nanoTime();
        if (silenced) {
            silenced = false;
            LOG.info("The coordinator speaks again");
        }
    }

    /** On the watchdog thread: releases everything while the coordinator is silent past the bound and the handler awaits it. */
    private void checkHeartbeat() {
        try {
            // Asked first: the line that made the handler await was heard before, so the silence read next counts from it.
            if (!handler.awaitsCoordinator()) {
                return;
            }
            long silentMillis = (System.nanoTime() - lastHeard) / 1_000_000;
            if (silentMillis < heartbeatSilence.toMillis()) {
                return;
            }
            if (!silenced) {
                silenced = true;
                LOG.warn("Nothing from the coordinator for {} ms while VMs wait on it (stopped or cut off?): releasing everything",
                        silentMillis);
            }
            handler.coordinatorSilent(heartbeatSilence);
        } catch (RuntimeException e) {
            // The next tick tries again: a silent coordinator stays a reason to release.
            LOG.error("Releasing after the coordinator fell silent failed", e);
        }
    }

    /** @return false once a {@code shutdown} has been answered */
    private boolean serve(String line) {
        Envelope envelope;
        try {
            Message message = ProtocolCodec.decode(line);
            if (!(message instanceof Envelope r)) {
                Long id = message instanceof Reply reply ? reply.id() : null;
                throw new ProtocolException(ProtocolException.BAD_REQUEST,
                        "'" + ProtocolCodec.typeOf(message) + "' is not a request", id);
            }
            envelope = r;
        } catch (ProtocolException e) {
            LOG.warn("Rejected a line from the coordinator: {}: {}", e.code(), e.getMessage());
            send(new Reply.Error(e.requestId(), e.code(), e.getMessage()));
            return true;
        }
        if (envelope.request() instanceof Request.Ping) {
            answer(envelope);
            return true;
        }
        if (envelope.request() instanceof Request.Shutdown) {
            // On the reader thread: nothing more is read once the goodbye is answered.
            answer(envelope);
            return false;
        }
        ThreadPoolExecutor pool = envelope.request() instanceof Request.Abort || envelope.request() instanceof Request.RestoreAbort
                ? releasers : workers;
        try {
            pool.execute(() -> answer(envelope));
        } catch (RejectedExecutionException e) {
            refuse(envelope, new ProtocolException(ProtocolException.BUSY,
                    MAX_CONCURRENT_REQUESTS + " requests already in progress", envelope.id()));
        }
        return true;
    }

    private void answer(Envelope envelope) {
        try {
            Object result = dispatch(envelope.request());
            send(new Reply.Ok(envelope.id(), ProtocolCodec.toObject(result)));
        } catch (ProtocolException e) {
            refuse(envelope, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(envelope, new ProtocolException(ProtocolException.FAILED, "interrupted: the agent is stopping", envelope.id()));
        } catch (Exception | Error e) {
            // Errors too (out of memory or stack): one request fails, and the agent serves on with its cleanup intact.
            LOG.warn("'{}' (id {}) failed", ProtocolCodec.typeOf(envelope), envelope.id(), e);
            send(new Reply.Error(envelope.id(), ProtocolException.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /** {@code shutdown} is the handler's own goodbye, not a route: every handler answers it. */
    private Object dispatch(Request request) throws Exception {
        if (request instanceof Request.Shutdown) {
            handler.shutdown();
            return null;
        }
        return routes.answer(request);
    }

    private void refuse(Envelope envelope, ProtocolException why) {
        LOG.warn("'{}' (id {}) refused: {}: {}", ProtocolCodec.typeOf(envelope), envelope.id(), why.code(), why.getMessage());
        send(new Reply.Error(envelope.id(), why.code(), why.getMessage()));
    }

    private void emit(EventKind kind, String vm, long hostTimeMicros, Object data) {
        if (silenced) {
            LOG.info("Not sent to the silent coordinator: {} {}", kind, vm);
            return;
        }
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
