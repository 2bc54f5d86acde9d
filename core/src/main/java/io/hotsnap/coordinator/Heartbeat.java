package io.hotsnap.coordinator;

import io.hotsnap.protocol.Request;
import io.hotsnap.settings.AgentBounds;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's {@code ping}s to one agent while a session is open: an agent with VMs held,
 * paused or loaded for a coordinator it no longer hears from releases them
 * ({@link AgentBounds#HEARTBEAT_SILENCE}). A thread of its own per agent, so a link that blocks
 * does not silence the others.
 */
final class Heartbeat implements AutoCloseable {

    private final ScheduledExecutorService timer;

    Heartbeat(AgentLink link) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + link.hostName());
            t.setDaemon(true);
            return t;
        });
        long every = AgentBounds.HEARTBEAT_EVERY.toMillis();
        // The reply does not matter, only that the line reaches the agent; a lost link fails the session elsewhere.
        timer.scheduleAtFixedRate(() -> link.request(new Request.Ping(), AgentBounds.HEARTBEAT_SILENCE), every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
