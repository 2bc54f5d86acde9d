package io.hotsnap.bench;

import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.snapshot.DiskMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code hotsnap bench} measures.
 *
 * @param runs       measured runs per mode (and per lab size with {@code --sweep})
 * @param warmupRuns rounds taken first and left out of the statistics (JVM and QEMU first-use costs)
 * @param modes      the cluster modes compared, taken in interleaved order
 * @param vms        lab VMs, each streaming TCP to the next
 * @param memoryMiB  memory per VM
 * @param dirtyMiBps each guest's memory-dirtying rate
 * @param diskMode   how the VMs' disks are brought to the snapshot point (copy or none)
 * @param store      where snapshots go; empty: a temporary directory under /var/tmp, removed afterwards
 * @param sweep      also measure other VM counts and memory sizes, to show how the cost grows
 */
public record BenchOptions(int runs, int warmupRuns, List<ClusterMode> modes, int vms, int memoryMiB, int dirtyMiBps, DiskMode diskMode,
                           Optional<Path> store, boolean sweep) {

    public static final int DEFAULT_RUNS = 10;
    public static final int DEFAULT_WARMUP = 1;
    public static final int DEFAULT_VMS = 3;
    public static final int DEFAULT_MEMORY_MIB = 256;
    public static final int DEFAULT_DIRTY_MIBPS = 20;
    /** Every mode but auto, which on the lab's VMs (no vhost) is hold mode again. */
    public static final List<ClusterMode> DEFAULT_MODES = java.util.Arrays.stream(ClusterMode.values()).filter(m -> m != ClusterMode.AUTO).toList();
    /** The sweep's VM counts (at {@code --mem}) and memory sizes (at {@code --vms}). */
    static final List<Integer> SWEEP_VMS = List.of(1, 2, 3, 4);
    static final List<Integer> SWEEP_MEMORY_MIB = List.of(128, 256, 512);

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
        if (vms < 1 || memoryMiB < 64 || dirtyMiBps < 0) {
            throw new IllegalArgumentException("--vms must be at least 1, --mem at least 64, --dirty not negative");
        }
        if (diskMode == DiskMode.OVERLAY) {
            throw new IllegalArgumentException("--disk overlay would stack one overlay per run on the lab disks: use copy or none");
        }
        modes = List.copyOf(modes);
    }

    /** The lab sizes measured: this one, or the sweep's. */
    List<LabSize> sizes() {
        if (!sweep) {
            return List.of(new LabSize(vms, memoryMiB));
        }
        List<LabSize> all = new java.util.ArrayList<>();
        SWEEP_VMS.forEach(n -> all.add(new LabSize(n, memoryMiB)));
        SWEEP_MEMORY_MIB.stream().map(m -> new LabSize(vms, m)).filter(s -> !all.contains(s)).forEach(all::add);
        return all;
    }

    /** One lab configuration. */
    public record LabSize(int vms, int memoryMiB) {
    }
}
