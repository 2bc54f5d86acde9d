package io.hotsnap.bench;

import java.util.List;

/**
 * The result of {@code hotsnap bench}: the contract printed by {@code --json}. Times in ms. Per run,
 * downtime and hold are the largest over the cut's VMs, the stall the longest over its TCP flows,
 * retransmissions and orphans summed over them.
 *
 * @param fsWriteMBps     sequential write speed of the store's file system, before and after the runs
 * @param hostLoadAverage the host's 1-minute load average before and after the runs
 */
public record BenchReport(
        int runs,
        int warmupRuns,
        String accel,
        String diskMode,
        int dirtyMiBps,
        List<Double> hostLoadAverage,
        String store,
        List<Double> fsWriteMBps,
        List<Size> sizes,
        List<Failure> failures) {

    /** Every mode on one lab size. */
    public record Size(int vms, int memoryMiB, Double measuredDirtyMiBps, List<Result> results) {
    }

    /**
     * One mode on one lab size. {@code downtimeVsHold}: its median downtime over hold mode's.
     */
    public record Result(
            String mode,
            Stats downtimeMs,
            Stats skewMs,
            Stats holdMs,
            Stats stallMs,
            Stats retransmits,
            Stats tailProbes,
            Stats spuriousRetransmits,
            Stats orphans,
            Stats commitMs,
            Double downtimeVsHold,
            int failed) {
    }

    /** A run that failed; the engine rolled it back. */
    public record Failure(String mode, int vms, int memoryMiB, int run, String error) {
    }
}
