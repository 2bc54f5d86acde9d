package io.hotsnap.snapshot;

/** A file of a snapshot, relative to the VM's part directory, with what proves it unaltered. */
public record SnapshotFile(String path, long bytes, String sha256) {
}
