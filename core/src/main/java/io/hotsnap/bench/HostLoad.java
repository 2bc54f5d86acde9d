package io.hotsnap.bench;

import java.lang.management.ManagementFactory;

/** How noisy the machine is while a benchmark runs: a busy host stretches every figure. */
public final class HostLoad {

    private HostLoad() {
    }

    /** The 1-minute load average, two decimals; negative where the OS does not tell. */
    public static double oneMinute() {
        return Benchmark.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }
}
