package io.hotsnap.bench;

import java.util.List;

/**
 * The result of {@code hotsnap bench --peer libvirt}: the contract printed by {@code --json}. Times
 * in ms. A run's pause is the guest's downtime: every STOP-to-RESUME interval QEMU reported during
 * the snapshot, summed; its total, the time until the snapshot was complete.
 *
 * @param hostLoadAverage the host's 1-minute load average before and after the runs
 */
public record LibvirtPeerReport(int runs, int warmupRuns, String domain, int memoryMiB, List<Double> hostLoadAverage, List<Load> loads,
                                List<Failure> failures) {

    /** Every method on one guest load; {@code measuredDirtyMiBps} as libvirt's {@code domdirtyrate-calc} saw it. */
    public record Load(int dirtyMiBps, Double measuredDirtyMiBps, List<Result> results) {
    }

    /**
     * One method on one load. {@code pauseVsHotsnap}: its median pause over ours.
     *
     * @param pauses        STOP/RESUME pairs per run
     * @param longestPauseMs the longest single pause per run
     */
    public record Result(String method, Stats pauseMs, Stats pauses, Stats longestPauseMs, Stats totalMs, Double pauseVsHotsnap, int failed) {
    }

    /** A run that failed; its leftovers were undone and the domain left running. */
    public record Failure(String method, int dirtyMiBps, int run, String error) {
    }
}
