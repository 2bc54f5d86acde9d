package io.hotsnap.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands sent and not yet answered, by id. A command leaves the table when its reply comes, when
 * its deadline passes, or when the caller cancels it; a reply for an id no longer here is ignored.
 */
final class PendingCommands {

    private static final Logger LOG = LoggerFactory.getLogger(PendingCommands.class);

    private record Pending(String command, CompletableFuture<JsonNode> future) {
    }

    private final Map<Long, Pending> byId = new ConcurrentHashMap<>();
    private long lastId;
    /** Set once the connection ended; later commands fail with it at once. Guarded by {@code this}. */
    private QmpDisconnectedException endedBy;

    /**
     * A fresh id for {@code command}, whose future fails with a timeout after {@code timeout}. When
     * the connection has already ended, the future is failed at once and nothing should be sent.
     */
    long register(String command, CompletableFuture<JsonNode> future, Duration timeout) {
        long id;
        QmpDisconnectedException ended;
        synchronized (this) {
            ended = endedBy;
            id = ++lastId;
            if (ended == null) {
                byId.put(id, new Pending(command, future));
            }
        }
        if (ended != null) {
            future.completeExceptionally(ended);
            return id;
        }
        ScheduledFuture<?> deadline = Deadlines.after(timeout, () -> future.completeExceptionally(
                new QmpTimeoutException("no reply to '" + command + "' (id " + id + ") within " + timeout)));
        future.whenComplete((result, failure) -> {
            deadline.cancel(false);
            byId.remove(id);
        });
        return id;
    }

    /** Hands a reply to its caller: the {@code return} value, or the {@code error} as an exception. */
    void resolve(JsonNode reply) {
        JsonNode id = reply.get("id");
        if (id == null) {
            // Only a command QEMU could not parse gets an id-less reply, and we send none such:
            // the stream itself is suspect (QEMU's own client gives up here too).
            throw new QmpProtocolException("reply without id: " + reply);
        }
        Pending pending = id.isIntegralNumber() ? byId.remove(id.longValue()) : null;
        if (pending == null) {
            LOG.debug("Ignoring reply for id {}: timed out or cancelled", id);
            return;
        }
        if (reply.has("return")) {
            pending.future().complete(reply.get("return"));
        } else if (reply.has("error")) {
            JsonNode error = reply.get("error");
            pending.future().completeExceptionally(new QmpExecuteException(
                    pending.command(), error.path("class").asText(), error.path("desc").asText()));
        } else {
            pending.future().completeExceptionally(new QmpProtocolException(
                    "reply to '" + pending.command() + "' has neither return nor error: " + reply));
        }
    }

    /** Fails every command still waiting, and every later one, with {@code reason}. */
    void endAll(QmpDisconnectedException reason) {
        List<Pending> waiting;
        synchronized (this) {
            endedBy = reason;
            waiting = new ArrayList<>(byId.values());
            byId.clear();
        }
        waiting.forEach(pending -> pending.future().completeExceptionally(reason));
    }
}
