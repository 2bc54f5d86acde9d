package io.hotsnap.app.dashboard;

/**
 * One bar of the per-VM timeline, in ms from the snapshot's first event.
 *
 * @param toMs the end, or the latest event's time while the phase is still open
 */
public record TimelineSegment(String host, String vm, Kind kind, double fromMs, double toMs) {

    /** What the VM went through during the bar. */
    public enum Kind {
        /** HOLD_ON → HOLD_OFF: traffic into the VM queued. */
        HOLD,
        /** STOP → RESUME: the guest paused (the transient snapshot). */
        PAUSE,
        /** RESUME (STOP if never resumed) → full-done: the background memory copy. */
        COPY
    }
}
