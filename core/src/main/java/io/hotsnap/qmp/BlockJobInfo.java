package io.hotsnap.qmp;

/** QAPI {@code BlockJobInfo}, one entry of {@code query-block-jobs}: the job's id (QEMU calls it device) and bytes done. */
public record BlockJobInfo(String type, String device, long offset, long len) {
}
