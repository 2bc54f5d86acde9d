package io.hotsnap.restore;

/** One VM brought back: where it runs now, and how long loading its memory took. */
public record RestoredVm(String name, String fromVm, long pid, String qmp, double loadMs, long resumedAt) {
}
