package io.hotsnap.snapshot;

/** One mode's transient snapshot: the pause, the disks fixed at its STOP, the memory copy started or done. */
interface TransientStep {

    /** QEMU's stamps of the snapshot point and of the guest running again, in µs. */
    record PausePoint(long stopAt, long resumeAt) {
    }

    PausePoint take();
}
