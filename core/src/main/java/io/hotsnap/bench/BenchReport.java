package io.hotsnap.bench;

import java.util.List;

/**
 * The result of {@code hotsnap bench}: the contract printed by {@code --json}. Times in ms, rates
 * in MB/s (10^6 bytes per second), sizes in MiB.
 *
 * @param fsWriteMBps sequential write speed of the store's file system, before and after the runs
 * @param hostLoadAverage the host's 1-minute load average before and after the runs
 * @param fullFrom    what the full time is measured from (the same for every mode)
 */
public record BenchReport(
        int runs,
        int warmupRuns,
        int vmMemoryMiB,
        String vm,
        String accel,
        String diskMode,
        List<Double> hostLoadAverage,
        String store,
        List<Double> fsWriteMBps,
        Double fsWriteMedianMBps,
        String fullFrom,
        List<Result> results,
        List<Failure> failures) {

    /** One mode under one load. {@code downtimeVsHotsnap}: median downtime over hotsnap's under the same load. */
    public record Result(
            String mode,
            String load,
            int dirtyMiBps,
            Double measuredDirtyMiBps,
            Stats downtimeMs,
            Stats fullMs,
            Stats throughputMBps,
            Stats memoryImageMiB,
            Double downtimeVsHotsnap,
            int failed) {
    }

    /** A run that failed; the snapshot engine rolled it back. */
    public record Failure(String mode, String load, int run, String error) {
    }

    public static final String IDLE = "idle";
    public static final String DIRTY = "dirty";
}
