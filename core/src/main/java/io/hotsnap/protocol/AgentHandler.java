package io.hotsnap.protocol;

import java.time.Duration;

/**
 * What an {@link io.hotsnap.agent.Agent} does with requests: each handler adds a route per request type it serves
 * ({@link #addRoutes}), returning the {@code ok} result (anything Jackson turns into a JSON object;
 * null for {@code {}}) or throwing. A {@link ProtocolException} keeps its code in the {@code error}
 * reply; any other exception becomes {@code failed} with its message. Any type without a route is
 * {@code unsupported}, so a new type never breaks an existing handler. An agent host's handler is
 * composed of one handler per concern ({@link io.hotsnap.agent.ComposedAgentHandler}).
 *
 * <p>Routes run on worker threads, several at once (a slow {@code snapshot} must not hold up an
 * {@code abort}), so implementations are thread-safe. {@code ping} alone runs on the agent's reader
 * thread, to answer at once: it must only read the clock.
 */
public interface AgentHandler {

    /** Adds a route for each request type this handler serves; called once, before any request. */
    void addRoutes(RequestRoutes routes);

    /**
     * The coordinator says goodbye ({@code shutdown}); the agent exits after the reply. Release
     * anything still held here: a coordinator that shuts an agent down mid-snapshot is still owed
     * running VMs.
     */
    default void shutdown() {
    }

    /**
     * Whether anything is paused, held, prepared or loaded here for the coordinator now: the agent
     * then expects a line from it at least every {@link io.hotsnap.settings.AgentBounds#HEARTBEAT_SILENCE}
     * (its {@code ping}s), and calls {@link #coordinatorSilent} when none comes. Called often, from
     * the agent's watchdog thread: only reads state.
     */
    default boolean awaitsCoordinator() {
        return false;
    }

    /**
     * The coordinator's link is open but nothing has come from it for {@code silence} while
     * {@link #awaitsCoordinator()}: it is stopped or cut off. Release as {@link #coordinatorLost()}
     * does (resume, release, discard loads not resumed); the agent goes on serving, and this may be
     * called again while the silence lasts (for what a request still running made meanwhile).
     */
    default void coordinatorSilent(Duration silence) {
    }

    /**
     * The coordinator is gone (stdin ended or stdout broke) without a {@code shutdown}. Called once,
     * on the reader thread, possibly while requests still run; the agent exits right after. This is
     * the safety net of DESIGN §3/§4: resume every paused VM and release every hold, at once.
     */
    void coordinatorLost();
}
