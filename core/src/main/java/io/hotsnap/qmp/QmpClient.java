package io.hotsnap.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.util.Deadlines;
import io.hotsnap.util.PendingCalls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous client for one QEMU monitor socket, after QEMU's own Python client: the greeting and
 * {@code qmp_capabilities} are done on the caller's thread, then one reader thread routes replies by
 * id to the waiting caller and events, in arrival order, to subscriptions and listeners. So an event
 * can never be taken for a reply, and an event QEMU sends before a reply has been queued before that
 * reply's future completes.
 *
 * <p>Reply futures are completed on the reader thread (timeouts on a shared timer thread): stages
 * chained with the non-async {@code then...} methods run there and must not block; use the
 * {@code ...Async} variants for real work.
 */
public final class QmpClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);

    /** What the client talks to, for messages: a socket path, or a VM manager's name for the VM. */
    private final String target;
    private final QmpTransport.Factory transports;
    private final Duration defaultCommandTimeout;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicReference<QmpState> state = new AtomicReference<>(QmpState.IDLE);
    private final PendingCalls<JsonNode> pending = new PendingCalls<>((command, id, timeout) ->
            new QmpTimeoutException("no reply to '" + command + "' (id " + id + ") within " + timeout), Runnable::run);
    private final EventDispatcher events = new EventDispatcher();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean tornDown = new AtomicBoolean();
    private volatile QmpTransport channel;
    private volatile Thread reader;
    private volatile QmpVersion version;
    /** Set when the connection ended other than by {@link #close()}. */
    private volatile QmpDisconnectedException lostBy;

    /** {@code timeouts.qmpCommand()} bounds commands sent without an explicit timeout. */
    public QmpClient(Path socketPath, Timeouts timeouts) {
        this(Objects.requireNonNull(socketPath, "socketPath").toString(), mapper -> new QmpChannel(mapper, socketPath), timeouts);
    }

    /** A client over another transport; {@code target} names the VM in messages. */
    public QmpClient(String target, QmpTransport.Factory transports, Timeouts timeouts) {
        this.target = Objects.requireNonNull(target, "target");
        this.transports = Objects.requireNonNull(transports, "transports");
        this.defaultCommandTimeout = timeouts.qmpCommand();
    }

    /**
     * Connects, reads the greeting and negotiates capabilities, all within {@code timeout}, then
     * starts the reader thread. On failure the client goes back to IDLE and may be connected again.
     *
     * @throws QmpConnectException with the socket path in its message, the reason as its cause
     * @throws QmpStateException   unless IDLE
     */
    public void connect(Duration timeout) {
        transition(QmpState.IDLE, QmpState.CONNECTING, "connect");
        QmpTransport opened;
        try {
            opened = transports.create(mapper);
        } catch (IOException e) {
            throw connectFailed(null, "cannot open a connection", e);
        }
        channel = opened;
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = Deadlines.after(timeout, () -> {
            // Blocking socket reads have no timeout of their own; closing the socket ends them.
            expired.set(true);
            opened.close();
        });
        try {
            opened.connect();
            version = negotiate(opened);
        } catch (IOException | QmpException e) {
            watchdog.cancel(false);
            if (expired.get()) {
                throw connectFailed(opened, "no QMP handshake within " + timeout, e);
            }
            throw connectFailed(opened, e.getMessage(), e);
        }
        if (!watchdog.cancel(false)) {
            throw connectFailed(opened, "no QMP handshake within " + timeout, null);
        }
        if (!state.compareAndSet(QmpState.CONNECTING, QmpState.RUNNING)) {
            throw connectFailed(opened, "closed while connecting", null);
        }
        reader = new Thread(() -> readLoop(opened), "qmp-reader-" + target.substring(target.lastIndexOf('/') + 1));
        reader.setDaemon(true);
        reader.start();
        LOG.info("QMP connected to {} (QEMU {} {})", target, version, version.packageName());
    }

    /** Sends {@code command} with {@link Timeouts#qmpCommand()} as its deadline; see {@link #execute(String, Object, Duration)}. */
    public CompletableFuture<JsonNode> execute(String command, Object arguments) {
        return execute(command, arguments, defaultCommandTimeout);
    }

    /**
     * Sends {@code command} and returns its future: the {@code return} value, or fails with
     * {@link QmpExecuteException} (QEMU's error), {@link QmpTimeoutException} (no reply within
     * {@code timeout}; a late reply is then ignored) or {@link QmpDisconnectedException}.
     *
     * @param arguments null, or anything Jackson turns into a JSON object (ObjectNode, Map, record)
     * @throws QmpStateException if never connected, or after {@link #close()}
     */
    public CompletableFuture<JsonNode> execute(String command, Object arguments, Duration timeout) {
        Objects.requireNonNull(command, "command");
        QmpState current = state.get();
        // A lost connection is no caller mistake: it is reported through the future, as for pending commands.
        if (current != QmpState.RUNNING && lostBy == null) {
            throw new QmpStateException("execute '" + command + "'", current, QmpState.RUNNING);
        }
        ObjectNode message = mapper.createObjectNode().put("execute", command);
        if (arguments != null) {
            JsonNode json = mapper.valueToTree(arguments);
            if (!json.isObject()) {
                throw new IllegalArgumentException("arguments of '" + command + "' must be a JSON object, got: " + json);
            }
            message.set("arguments", json);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        long id = pending.register(command, reply, timeout);
        if (reply.isDone()) {
            return reply;
        }
        message.put("id", id);
        try {
            channel.write(message);
        } catch (IOException e) {
            reply.completeExceptionally(new QmpDisconnectedException(
                    "cannot send '" + command + "' to " + target + ": " + e.getMessage(), e));
        }
        return reply;
    }

    /**
     * Sends {@code command} and waits for its reply.
     *
     * @return QEMU's {@code return} value
     * @throws QmpExecuteException      QEMU refused the command
     * @throws QmpTimeoutException      no reply within {@code timeout}
     * @throws QmpDisconnectedException the connection ended first
     * @throws IllegalStateException     on the reader thread (from a listener), which would wait for itself
     */
    public JsonNode call(String command, Object arguments, Duration timeout) {
        if (Thread.currentThread() == reader) {
            throw new IllegalStateException("call('" + command + "') from a QMP listener would wait for its own reader thread");
        }
        CompletableFuture<JsonNode> reply = execute(command, arguments, timeout);
        try {
            // Bounded: the future fails by itself when the timeout passes.
            return reply.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpException qmp) {
                throw qmp;
            }
            throw new QmpException("'" + command + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.cancel(false);
            throw new QmpException("interrupted while waiting for '" + command + "'", e);
        }
    }

    /**
     * Sends a typed command and waits for its reply, read into the command's reply type; fails as
     * {@link #call(String, Object, Duration)} does, or with {@link QmpProtocolException} when the
     * reply does not fit that type.
     */
    public <R> R call(QmpCommand<R> command, Duration timeout) {
        return command.decode(QmpJson.READER, call(command.name(), command.arguments(), timeout));
    }

    /** A typed command sent without waiting; see {@link #execute(String, Object, Duration)}. */
    public <R> CompletableFuture<R> execute(QmpCommand<R> command, Duration timeout) {
        // Decoding is cheap: fine on the reader thread that completes the reply.
        return execute(command.name(), command.arguments(), timeout).thenApply(reply -> command.decode(QmpJson.READER, reply));
    }

    /**
     * A bounded queue of the events that pass {@code filter} (run on the reader thread: keep it
     * cheap). Subscribe before sending the command whose event you wait for. May be called in any
     * state; after the connection ended the subscription starts ended.
     */
    public QmpEventSubscription subscribe(Predicate<QmpEvent> filter, int capacity) {
        return events.subscribe(Objects.requireNonNull(filter, "filter"), capacity);
    }

    /**
     * Calls {@code listener} for every event, on the reader thread: it must not block, or replies
     * and events for everyone else wait behind it. Use {@link #subscribe} to consume events elsewhere.
     */
    public void addListener(Consumer<QmpEvent> listener) {
        events.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Consumer<QmpEvent> listener) {
        events.removeListener(listener);
    }

    public QmpState state() {
        return state.get();
    }

    /**
     * QEMU's version from the greeting.
     *
     * @throws QmpStateException if never connected
     */
    public QmpVersion version() {
        QmpVersion known = version;
        if (known == null) {
            throw new QmpStateException("read the QEMU version", state.get(), QmpState.RUNNING);
        }
        return known;
    }

    /** The socket path, or the VM manager's name for the VM: what this client talks to. */
    public String target() {
        return target;
    }

    /**
     * Completes once the client is DISCONNECTED: normally after {@link #close()}, exceptionally with
     * {@link QmpDisconnectedException} when the connection was lost (QEMU exited, stream broken).
     */
    public CompletableFuture<Void> closedFuture() {
        return closed.copy();
    }

    /**
     * Closes the connection (QEMU keeps running). Pending commands and waiting subscribers fail with
     * {@link QmpDisconnectedException}. Does not wait for anything; calling it again does nothing.
     */
    @Override
    public void close() {
        QmpState current = state.get();
        while (current != QmpState.DISCONNECTING && current != QmpState.DISCONNECTED) {
            if (state.compareAndSet(current, QmpState.DISCONNECTING)) {
                break;
            }
            current = state.get();
        }
        if (current == QmpState.CONNECTING) {
            // connect() is still on its way: closing the socket makes it fail and tear down.
            QmpTransport connecting = channel;
            if (connecting != null) {
                connecting.close();
            }
            return;
        }
        tearDown(new QmpDisconnectedException("QMP connection to " + target + " closed by the client"), false);
    }

    private QmpVersion negotiate(QmpTransport opened) throws IOException {
        ObjectNode greeting = opened.read();
        if (greeting == null) {
            throw new QmpProtocolException("connection closed before the QMP greeting");
        }
        QmpVersion announced = QmpVersion.fromGreeting(greeting);
        ObjectNode capabilities = mapper.createObjectNode().put("execute", "qmp_capabilities");
        if (offersOutOfBand(greeting)) {
            // Not for exec-oob (never sent): without it QEMU stops reading the socket after each
            // command until that command is done, so a command pipelined behind another waits for
            // QEMU's monitor thread to be woken and scheduled again. On a loaded host that cost
            // a pipelined stop + migrate hundreds of ms of guest pause (measured on TCG, 6 CPU
            // hogs: 478 ms between the stop and QEMU reading the migrate). With it, in-band
            // commands are read ahead into QEMU's queue and run back to back, still in order.
            capabilities.putObject("arguments").putArray("enable").add("oob");
        }
        opened.write(capabilities);
        while (true) {
            ObjectNode message = opened.read();
            if (message == null) {
                throw new QmpProtocolException("connection closed during capability negotiation");
            }
            if (message.has("event")) {
                // Rare, but an event can slip in between command mode starting and the reply.
                events.dispatch(QmpEvent.fromMessage(message));
            } else if (message.has("error")) {
                JsonNode error = message.get("error");
                throw new QmpExecuteException("qmp_capabilities", error.path("class").asText(), error.path("desc").asText());
            } else {
                return announced;
            }
        }
    }

    private static boolean offersOutOfBand(JsonNode greeting) {
        for (JsonNode capability : greeting.path("QMP").path("capabilities")) {
            if ("oob".equals(capability.asText())) {
                return true;
            }
        }
        return false;
    }

    private void readLoop(QmpTransport opened) {
        QmpDisconnectedException reason;
        try {
            ObjectNode message;
            while ((message = opened.read()) != null) {
                if (message.has("event")) {
                    events.dispatch(QmpEvent.fromMessage(message));
                } else {
                    resolve(message);
                }
            }
            reason = new QmpDisconnectedException("QEMU closed the QMP connection " + target);
        } catch (IOException | RuntimeException e) {
            // RuntimeException too: whatever stops this thread must not leave callers waiting.
            reason = new QmpDisconnectedException("QMP connection " + target + " lost: " + e.getMessage(), e);
        }
        if (state.get() == QmpState.RUNNING) {
            lostBy = reason;
            tearDown(reason, true);
        }
    }

    /** Hands a reply to its caller: the {@code return} value, or the {@code error} as an exception. */
    private void resolve(JsonNode reply) {
        JsonNode id = reply.get("id");
        if (id == null) {
            // Only a command QEMU could not parse gets an id-less reply, and we send none such:
            // the stream itself is suspect (QEMU's own client gives up here too).
            throw new QmpProtocolException("reply without id: " + reply);
        }
        Optional<PendingCalls.Call<JsonNode>> call = id.isIntegralNumber() ? pending.take(id.longValue()) : Optional.empty();
        if (call.isEmpty()) {
            LOG.debug("Ignoring reply for id {}: timed out or cancelled", id);
        } else if (reply.has("return")) {
            call.get().future().complete(reply.get("return"));
        } else if (reply.has("error")) {
            JsonNode error = reply.get("error");
            call.get().future().completeExceptionally(new QmpExecuteException(
                    call.get().name(), error.path("class").asText(), error.path("desc").asText()));
        } else {
            call.get().future().completeExceptionally(new QmpProtocolException(
                    "reply to '" + call.get().name() + "' has neither return nor error: " + reply));
        }
    }

    private void tearDown(QmpDisconnectedException reason, boolean lost) {
        if (!tornDown.compareAndSet(false, true)) {
            return;
        }
        state.set(QmpState.DISCONNECTING);
        QmpTransport open = channel;
        if (open != null) {
            open.close();
        }
        state.set(QmpState.DISCONNECTED);
        pending.endAll(reason);
        events.endAll(reason);
        if (lost) {
            LOG.warn("{}", reason.getMessage());
            closed.completeExceptionally(reason);
        } else {
            LOG.info("{}", reason.getMessage());
            closed.complete(null);
        }
    }

    private QmpConnectException connectFailed(QmpTransport opened, String why, Throwable cause) {
        if (opened != null) {
            opened.close();
        }
        if (!state.compareAndSet(QmpState.CONNECTING, QmpState.IDLE)) {
            // close() was called meanwhile: it left the teardown to us.
            tearDown(new QmpDisconnectedException("QMP connection to " + target + " closed while connecting"), false);
        }
        return new QmpConnectException("cannot connect to QMP " + target + ": " + why, cause);
    }

    private void transition(QmpState from, QmpState to, String operation) {
        if (!state.compareAndSet(from, to)) {
            throw new QmpStateException(operation, state.get(), from);
        }
    }
}
