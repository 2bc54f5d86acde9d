package io.hotsnap.snapshot;

import java.time.Duration;

/**
 * Barrier mode: a pause taken ahead of the transient snapshot, so that every VM of a cut is paused
 * before any reaches its snapshot point.
 *
 * @param guard    resumes the VM once {@code deadline} passes, whatever else happens
 * @param stopAt   QEMU's stamp of this pause's STOP, the snapshot point (µs)
 */
record BarrierPause(PauseGuard guard, Duration deadline, long stopAt) {
}
