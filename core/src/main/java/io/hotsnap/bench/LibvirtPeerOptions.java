package io.hotsnap.bench;

import java.util.List;

/**
 * What {@code hotsnap bench --peer libvirt} measures.
 *
 * @param runs       measured runs per method and load
 * @param warmupRuns rounds taken first and left out of the statistics
 * @param memoryMiB  the bench domain's memory
 * @param dirtyMiBps the dirtying load measured after the idle guest; 0: the idle guest only
 */
public record LibvirtPeerOptions(int runs, int warmupRuns, int memoryMiB, int dirtyMiBps) {

    public LibvirtPeerOptions {
        if (runs < 1 || warmupRuns < 0 || memoryMiB < 64 || dirtyMiBps < 0) {
            throw new IllegalArgumentException("--runs must be at least 1, --warmup not negative, --mem at least 64, --dirty not negative");
        }
    }

    /** The guest loads measured, one domain boot each: idle, then dirtying (unless 0). */
    List<Integer> loads() {
        return dirtyMiBps == 0 ? List.of(0) : List.of(0, dirtyMiBps);
    }
}
