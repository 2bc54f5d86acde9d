package io.hotsnap.snapshot;

/**
 * One writable disk at the snapshot point: where the VM had it ({@code original}, and its block
 * node), and the snapshot's image of it. In {@code overlay} mode the image is the original file
 * itself, frozen under the overlay the VM now writes to.
 */
public record DiskCopy(String device, String nodeName, String original, String format, long virtualSize, SnapshotFile image) {
}
