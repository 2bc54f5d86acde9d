package io.hotsnap.settings;

import java.time.Duration;

/**
 * The engine's fixed waits, each named for what it waits on. Bounds are stretched by
 * {@code hotsnap.timeoutScale} like {@link Timeouts}; poll intervals (how often a state is asked
 * again) are not bounds and stay as they are. Safety promises to the VMs are elsewhere and never
 * scaled: {@link Timeouts#pausedDeadline()}, {@link GuardTimeouts}, {@link AgentBounds}.
 */
public final class Waits {

    // --- a VM's snapshot ---------------------------------------------------------------------

    /** How long a disk copy job may run before the snapshot gives it up. */
    public static final Duration DISK_COPY = scaled(Duration.ofMinutes(30));
    /** How long the live rounds of a precopy may take before the baseline gives up (auto-converge keeps it short). */
    public static final Duration PRECOPY_CONVERGENCE = scaled(Duration.ofMinutes(3));
    /** How long an abandoned background snapshot may take to drain before the job stops waiting for it. */
    public static final Duration BACKGROUND_DRAIN = scaled(Duration.ofMinutes(10));
    /** How long QEMU may take to leave {@code finish-migrate} after a completed migration before it accepts {@code cont}. */
    public static final Duration MIGRATION_FINALIZED = scaled(Duration.ofSeconds(2));
    /** The pause guard's own {@code cont}. */
    public static final Duration GUARD_CONT = scaled(Duration.ofSeconds(5));

    /** How often a migration's state is asked while a snapshot waits on it (a MIGRATION event wakes it earlier). */
    public static final Duration MIGRATION_POLL = Duration.ofMillis(200);
    /** How often {@code cont} is tried again while QEMU finalizes a migration. */
    public static final Duration CONT_RETRY = Duration.ofMillis(10);
    /** How often a block job's progress is asked while its completion event is awaited. */
    public static final Duration BLOCK_JOB_POLL = Duration.ofMillis(200);
    /** How often a state that changes within milliseconds is asked (QEMU's run state, a process's exit). */
    public static final Duration STATE_POLL = Duration.ofMillis(20);
    /** How often a lab guest's serial log is read for a new tick (it prints one every 100 ms while it runs). */
    public static final Duration SERIAL_TICK_POLL = Duration.ofMillis(200);
    /** How often the block jobs are listed while cancelled ones wind down. */
    public static final Duration BLOCK_JOBS_POLL = Duration.ofMillis(50);

    private Waits() {
    }

    private static Duration scaled(Duration d) {
        return Timeouts.scale(d, Timeouts.scaleFromSystem());
    }
}
