package io.hotsnap.protocol;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests sent to one agent and not yet answered, by id. A request leaves the table when its reply
 * comes, when its deadline passes or when the caller cancels it; a reply for an id no longer here is
 * ignored.
 */
final class PendingRequests {

    private static final Logger LOG = LoggerFactory.getLogger(PendingRequests.class);

    private final String hostName;
    private final Map<Long, CompletableFuture<Reply>> byId = new ConcurrentHashMap<>();
    /** Guarded by {@code this}. */
    private long lastId;
    /** Set once the link ended; later requests fail with it at once. Guarded by {@code this}. */
    private ProtocolException endedBy;

    PendingRequests(String hostName) {
        this.hostName = hostName;
    }

    /**
     * A fresh id for a request of {@code type}; {@code future} fails with {@code timeout} after
     * {@code timeout}. When the link has already ended, the future has failed and nothing should be sent.
     */
    long register(String type, CompletableFuture<Reply> future, Duration timeout) {
        long id;
        ProtocolException ended;
        synchronized (this) {
            ended = endedBy;
            id = ++lastId;
            if (ended == null) {
                byId.put(id, future);
            }
        }
        if (ended != null) {
            future.completeExceptionally(ended);
            return id;
        }
        // The JDK's shared delay thread: a deadline that fires after the reply finds the future done.
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() ->
                future.completeExceptionally(new ProtocolException(ProtocolException.TIMEOUT,
                        "no reply to '" + type + "' (id " + id + ") from " + hostName + " within " + timeout, id)));
        future.whenComplete((reply, failure) -> byId.remove(id));
        return id;
    }

    void resolve(Reply reply) {
        CompletableFuture<Reply> future = reply.id() == null ? null : byId.remove(reply.id());
        if (future != null) {
            future.complete(reply);
        } else if (reply.id() == null) {
            // The agent could not read an id we sent: a bug on our side, worth a loud line.
            LOG.warn("Agent {} answered a request it could not read: {}", hostName, reply);
        } else {
            LOG.debug("Ignoring reply {} from {}: timed out or cancelled", reply.id(), hostName);
        }
    }

    /** Fails every request still waiting, and every later one, with {@code reason}. */
    void endAll(ProtocolException reason) {
        List<CompletableFuture<Reply>> waiting;
        synchronized (this) {
            endedBy = reason;
            waiting = new ArrayList<>(byId.values());
            byId.clear();
        }
        waiting.forEach(f -> f.completeExceptionally(reason));
    }
}
