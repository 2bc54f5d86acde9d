package io.hotsnap.bench;

import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.SnapshotMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code hotsnap bench} measures.
 *
 * @param runs        measured runs per mode and load
 * @param warmupRuns  rounds taken first and left out of the statistics (JVM and QEMU first-use costs)
 * @param modes       the snapshot modes compared, taken round-robin
 * @param dirtyMiBps  the guest's memory-dirtying rate for the "dirty" half; 0 skips that half
 * @param diskMode    how the VM's disk is brought to the snapshot point (copy, as {@code hotsnap snapshot} does by default, or none)
 * @param store       where snapshots go; empty: a temporary directory under /var/tmp, removed afterwards
 * @param keep        keep the measured snapshots instead of deleting each one after measuring it
 */
public record BenchOptions(int runs, int warmupRuns, List<SnapshotMode> modes, int dirtyMiBps, DiskMode diskMode, Optional<Path> store, boolean keep) {

    public static final int DEFAULT_RUNS = 10;
    public static final int DEFAULT_WARMUP = 1;
    public static final int DEFAULT_DIRTY_MIBPS = 50;
    public static final List<SnapshotMode> DEFAULT_MODES = List.of(SnapshotMode.HOTSNAP, SnapshotMode.PRECOPY, SnapshotMode.STOPCOPY);

    public BenchOptions {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        if (warmupRuns < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("--modes names no mode");
        }
        if (dirtyMiBps < 0) {
            throw new IllegalArgumentException("--dirty must not be negative");
        }
        if (diskMode == DiskMode.OVERLAY) {
            throw new IllegalArgumentException("--disk overlay would stack one overlay per run on the lab disk: use copy or none");
        }
        modes = List.copyOf(modes);
    }
}
