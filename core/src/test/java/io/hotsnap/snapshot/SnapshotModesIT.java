package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot snapshot and stop-and-copy on the same 256 MiB guest dirtying memory: the hot snapshot's
 * pause is a small fraction of stop-and-copy's. A ratio within one run, not a time limit: the machine
 * is shared. Precopy is left out here (it is the slowest to converge on a dirtying guest under TCG and
 * is covered by ClusterModesIT and AgentGuardIT); `hotsnap bench` compares all three.
 */
class SnapshotModesIT {

    @RegisterExtension
    static final OwnLab OWN_LAB = OwnLab.of("dy", "hsbr-dy", "10.74.0", 1, 50);
    private static final Lab LAB = OWN_LAB.lab();

    @TempDir
    static Path storeDir;

    @Test
    void hotsnapPausesTheDirtyingGuestFarLessThanStopAndCopy() {
        SnapshotStore store = new SnapshotStore(storeDir);
        LocalSnapshots snapshots = new LocalSnapshots(LAB.config().socketDir(), store, Timeouts.defaults());
        Map<SnapshotMode, List<Double>> downtimes = new EnumMap<>(SnapshotMode.class);
        for (int run = 0; run < 3; run++) {
            for (SnapshotMode mode : List.of(SnapshotMode.HOTSNAP, SnapshotMode.STOPCOPY)) {
                Manifest m = snapshots.take(List.of("dy1"), mode, DiskMode.COPY, e -> { });
                assertEquals(Manifest.COMMITTED, m.status());
                assertEquals("running", LAB.status().get(0).state(), mode + " left the guest " + LAB.status().get(0).state());
                downtimes.computeIfAbsent(mode, k -> new ArrayList<>()).add(m.vms().get(0).downtimeMs());
            }
        }
        double hotsnap = median(downtimes.get(SnapshotMode.HOTSNAP));
        double stopcopy = median(downtimes.get(SnapshotMode.STOPCOPY));
        assertTrue(hotsnap * 4 < stopcopy, "median downtime: hotsnap " + hotsnap + " ms, stopcopy " + stopcopy + " ms; all: " + downtimes);
        assertEquals(6, store.list().size());
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
