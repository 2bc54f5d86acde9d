package io.hotsnap.settings;

import java.time.Duration;

/**
 * The engine's fixed waits, each named for what it waits on. Bounds are stretched by
 * {@code hotsnap.timeoutScale} like {@link Timeouts}; poll intervals (how often a state is asked
 * again) and settle times are not bounds and stay as they are. Safety promises to the VMs are
 * elsewhere and never scaled: {@link Timeouts#pausedDeadline()}, {@link GuardTimeouts}, {@link AgentBounds}.
 */
public final class Waits {

    // --- a VM's snapshot ---------------------------------------------------------------------

    /** How long a disk copy job may run before the snapshot gives it up. */
    public static final Duration DISK_COPY = scaled(Duration.ofMinutes(30));
    /** A disk job (a detach's stream, an overlay committed back) that moves no byte for this long is given up; a long but moving one never is. */
    public static final Duration DISK_JOB_STALL = scaled(Duration.ofMinutes(2));
    /** How long the live rounds of a precopy may take before the baseline gives up (auto-converge keeps it short). */
    public static final Duration PRECOPY_CONVERGENCE = scaled(Duration.ofMinutes(3));
    /** How long an abandoned background snapshot may take to drain before the job stops waiting for it. */
    public static final Duration BACKGROUND_DRAIN = scaled(Duration.ofMinutes(10));
    /** How long QEMU may take to leave {@code finish-migrate} after a completed migration before it accepts {@code cont}. */
    public static final Duration MIGRATION_FINALIZED = scaled(Duration.ofSeconds(2));
    /** The pause guard's own {@code cont}. */
    public static final Duration GUARD_CONT = scaled(Duration.ofSeconds(5));

    // --- host commands and sockets -----------------------------------------------------------

    /** One {@code nft} command of a cut's packet-drop table. */
    public static final Duration NFT_COMMAND = scaled(Duration.ofSeconds(10));
    /** One {@code ip} command of the lab's network. */
    public static final Duration IP_COMMAND = scaled(Duration.ofSeconds(10));
    /** {@code qemu-system-x86_64 --version}, for an agent's hello. */
    public static final Duration QEMU_VERSION = scaled(Duration.ofSeconds(10));
    /** A running lab guest printing its next tick (one every 100 ms): longer, and it is taken for frozen. */
    public static final Duration GUEST_TICK = scaled(Duration.ofSeconds(10));
    /** Starting one lab guest's QEMU (it daemonizes once its monitor listens). */
    public static final Duration LAB_LAUNCH = scaled(Duration.ofSeconds(60));
    /** Building the lab guest's initramfs. */
    public static final Duration GUEST_IMAGE_BUILD = scaled(Duration.ofMinutes(10));
    /** How long a QMP socket another manager's tools hold (Proxmox's {@code qm}, {@code pvestatd}) is waited for. */
    public static final Duration BUSY_SOCKET = scaled(Duration.ofSeconds(3));
    /** One attempt at such a socket: connected and greeted within this, or tried again. */
    public static final Duration SOCKET_ATTEMPT = scaled(Duration.ofMillis(400));
    /** The reply to the goodbye ({@code shutdown}) a coordinator sends an agent as it closes the link; not awaited. */
    public static final Duration AGENT_GOODBYE = scaled(Duration.ofSeconds(1));

    // --- an agent's answers, as the coordinator and the console wait for them ----------------

    /** A request answered from memory or a few QMP calls: hello, hold, commit, a record, a restore's resume. */
    public static final Duration AGENT_QUICK = scaled(Duration.ofSeconds(30));
    /** Listing VMs or snapshots: QMP sockets or manifests to read, never a long job. */
    public static final Duration AGENT_INVENTORY = scaled(Duration.ofSeconds(30));
    /** A host check: the inventory's QMP queries, {@code qemu --version} and a few files, on a host that may be busy. */
    public static final Duration AGENT_DOCTOR = scaled(Duration.ofMinutes(2));
    /** A cut's prepare (QMP opened, checks, receivers started), or its abort. */
    public static final Duration AGENT_PREPARE = scaled(Duration.ofMinutes(2));
    /** A hot snapshot's transient step: answered once every VM is paused and resumed. */
    public static final Duration AGENT_SNAPSHOT = scaled(Duration.ofMinutes(2));
    /** The baselines copy all memory inside their "transient" step, answered only once it is done. */
    public static final Duration AGENT_FULL_COPY = scaled(Duration.ofMinutes(30));
    /** Stopping the captures, reading them and sending the frames: measurement, after the commit (beyond a restore's window). */
    public static final Duration AGENT_TRAFFIC = scaled(Duration.ofMinutes(2));
    /** A restore's preflight reads every file of the parts for its checksums: GiBs on real VMs. */
    public static final Duration RESTORE_PREFLIGHT = scaled(Duration.ofMinutes(10));
    /** A restore's load: checked again, then every VM's memory streamed into its QEMU; or its abort. */
    public static final Duration RESTORE_LOAD = scaled(Duration.ofMinutes(30));
    /** Streaming a VM's disks out of its snapshots: as long as its disks are big (the agent gives up on a stalled stream). */
    public static final Duration DETACH = scaled(Duration.ofHours(2));
    /** A hold's release sent behind the VM's pause, until QEMU acknowledges it. */
    public static final Duration HOLD_RELEASE = scaled(Duration.ofSeconds(10));
    /** An agent that refused to start said why on stderr just before it ended: how long that line may take to arrive. */
    public static final Duration AGENT_LAST_LINE = scaled(Duration.ofMillis(500));
    /** A committed snapshot's (or resumed restore's) capture waits this long for the coordinator's request. */
    public static final Duration UNCLAIMED_CAPTURE = scaled(Duration.ofMinutes(2));

    // --- SSH channels ------------------------------------------------------------------------

    /** An exec channel's exit status arrives with its close, just after the end of its output. */
    public static final Duration SSH_EXIT_STATUS = scaled(Duration.ofSeconds(2));
    /** An agent's channel whose stream ended, closing with the agent's exit status. */
    public static final Duration SSH_AGENT_CLOSE = scaled(Duration.ofSeconds(1));
    /** A channel cut without an exit status: the moment the session needs to notice its lost connection. */
    public static final Duration SSH_LOSS_NOTICED = Duration.ofMillis(500);
    /** How often an SSH channel's state is asked while it closes. */
    public static final Duration SSH_CHANNEL_POLL = Duration.ofMillis(10);

    // --- the benchmarks against libvirt ------------------------------------------------------

    /** Creating a domain can make libvirtd probe QEMU's capabilities: slow on a busy host. */
    public static final Duration BENCH_DOMAIN_CREATE = scaled(Duration.ofMinutes(5));
    /** The bench's peer domain printing its first tick. */
    public static final Duration BENCH_DOMAIN_BOOT = scaled(Duration.ofSeconds(120));
    /** One libvirt external snapshot, or its block commit. */
    public static final Duration LIBVIRT_SNAPSHOT = scaled(Duration.ofMinutes(5));
    /** How long after a snapshot returns its RESUME may take to arrive through libvirt's event stream. */
    public static final Duration LIBVIRT_EVENT_PATIENCE = scaled(Duration.ofSeconds(10));

    // --- settle times: fixed, not bounds -----------------------------------------------------

    /**
     * virsh prints nothing once its event callback is registered; this bounds the time it needs
     * (a whole {@code virsh} command takes about 25–40 ms here) so that no event of the caller's
     * first commands is missed.
     */
    public static final Duration LIBVIRT_EVENTS_SETTLE = Duration.ofMillis(300);
    /** The same for {@code virsh qemu-monitor-event}, which the benchmarks' pause tally reads. */
    public static final Duration VIRSH_EVENTS_SETTLE = Duration.ofMillis(500);
    /** After the first pause is seen, for the snapshot's later pauses to arrive through libvirt. */
    public static final Duration LIBVIRT_EVENT_GRACE = Duration.ofMillis(150);

    // --- poll intervals: fixed, not bounds ---------------------------------------------------

    /** How often a migration's state is asked while a snapshot waits on it (a MIGRATION event wakes it earlier). */
    public static final Duration MIGRATION_POLL = Duration.ofMillis(200);
    /** How often a block job's progress is asked while its completion event is awaited. */
    public static final Duration BLOCK_JOB_POLL = Duration.ofMillis(200);
    /** How often a lab guest's serial log is read for a new tick (it prints one every 100 ms while it runs). */
    public static final Duration SERIAL_TICK_POLL = Duration.ofMillis(200);
    /** How often a detached memory receiver is checked for having been stopped ({@code kill -STOP}). */
    public static final Duration RECEIVER_STOPPED_CHECK = Duration.ofMillis(200);
    /** How often a state that changes within milliseconds is asked (QEMU's run state, a process's exit). */
    public static final Duration STATE_POLL = Duration.ofMillis(20);
    /** How often the block jobs are listed while cancelled ones wind down. */
    public static final Duration BLOCK_JOBS_POLL = Duration.ofMillis(50);
    /** How often {@code cont} is tried again while QEMU finalizes a migration. */
    public static final Duration CONT_RETRY = Duration.ofMillis(10);
    /** How often a freshly started QEMU's monitor socket is tried until it listens. */
    public static final Duration MONITOR_RETRY = Duration.ofMillis(50);
    /** How long a busy QMP socket is left alone between attempts. */
    public static final Duration SOCKET_RETRY = Duration.ofMillis(100);

    private Waits() {
    }

    private static Duration scaled(Duration d) {
        return Timeouts.scale(d, Timeouts.scaleFromSystem());
    }
}
