package io.hotsnap.settings;

import java.time.Duration;

/**
 * What an agent accepts from its coordinator, and how long it trusts a silent one. Safety promises
 * to the VMs, not patience settings: unlike {@link Timeouts} they are never scaled.
 */
public final class AgentBounds {

    /**
     * An agent with anything paused, held, prepared or loaded for its coordinator releases it all
     * when no line has come from the coordinator for this long (SIGSTOP, a cut network, a hung
     * console): a few seconds, so a vanished coordinator costs seconds, not VMs.
     */
    public static final Duration HEARTBEAT_SILENCE = Duration.ofSeconds(5);
    /** How often a coordinator pings an agent while it has a session open: well inside the silence bound. */
    public static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);
    /** The longest inbound hold a request may ask for: beyond it the VMs' TCP backs off for nothing. */
    public static final Duration MAX_HOLD = Duration.ofSeconds(10);
    /** The longest barrier pause a request may ask for: the whole cluster is stopped meanwhile. */
    public static final Duration MAX_BARRIER_PAUSE = Duration.ofSeconds(5);
    /** The longest traffic capture after a restore's resume a request may ask for: a measurement window, not a wait. */
    public static final Duration MAX_CAPTURE_WINDOW = Duration.ofSeconds(60);
    /** The longest request line read; a longer one is answered with an error and skipped. */
    public static final int MAX_REQUEST_LINE_BYTES = 1 << 20;

    private AgentBounds() {
    }
}
