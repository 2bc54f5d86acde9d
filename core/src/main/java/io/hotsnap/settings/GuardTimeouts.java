package io.hotsnap.settings;

import java.time.Duration;

/**
 * The bounds of the guard that outlives an agent ({@code io.hotsnap.guard}). Not scaled with
 * {@link Timeouts}: like the pause deadline, they are promises to the VMs, not patience settings.
 */
public final class GuardTimeouts {

    /** How often an agent tells its guard it still lives. */
    public static final Duration HEARTBEAT = Duration.ofMillis(500);
    /**
     * A guard that hears nothing for this long while a VM is paused or held takes the agent for
     * stopped ({@code kill -STOP}) or hung and kills it: ten heartbeats missed is no scheduling hiccup.
     */
    public static final Duration SILENCE = Duration.ofSeconds(5);
    /** One QMP command, or the connection, of the guard's undo. */
    public static final Duration COMMAND = Duration.ofSeconds(5);
    /** How long the guard waits for QEMU to leave a migration's pause-taking phase before its {@code cont}. */
    public static final Duration SETTLE = Duration.ofSeconds(1);
    /**
     * How long a background snapshot may take to drain into its detached memory sink before the
     * guard gives up turning its capability off (QEMU refuses while a migration runs).
     */
    public static final Duration DRAIN = Duration.ofMinutes(10);

    private GuardTimeouts() {
    }
}
