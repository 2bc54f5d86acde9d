package io.hotsnap.protocol;

/** What an {@link AgentEvent} reports; the names are the ones the timeline and reports show. */
public enum EventKind {
    /** A VM paused: QEMU's STOP event, the VM's snapshot point. */
    STOP,
    /** A VM runs again: QEMU's RESUME event. */
    RESUME,
    /**
     * How the cut covers a VM, said at prepare in the modes that cover VMs ({@code data}: a
     * {@link Coverage}, {@code by} and {@code why}).
     */
    COVERED,
    /** The inbound hold of a VM is on: traffic into it is queued from now. */
    HOLD_ON,
    /** The inbound hold of a VM is off: its queue is flushed. */
    HOLD_OFF,
    /** Background copy progress. */
    PROGRESS,
    /** A VM's part (or the agent's whole share of a phase) is complete. */
    DONE,
    /** Something failed outside any request's reply. */
    ERROR,
    /**
     * A step of a VM being restored ({@code data.phase}: {@code loading}, {@code loaded} with
     * {@code loadMs}, {@code resumed}, {@code discarded} with {@code reason}; {@code data.from}: the
     * snapshot's VM). The coordinator's own, with no VM: {@code barrier} once every host has loaded.
     */
    RESTORE,
    /** A line the agent logged; made by the link from the agent's stderr. */
    LOG,
    /**
     * The coordinator's own, never an agent's: every agent has committed the global manifest, so
     * the snapshot exists from now on (data: {@code id}, {@code commitMs}).
     */
    COMMITTED
}
