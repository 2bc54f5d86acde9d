package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three modes on the same 256 MiB guest dirtying memory: the hot snapshot's pause is a small
 * fraction of stop-and-copy's. A ratio within one run, not a time limit: the machine is shared.
 */
class SnapshotModesIT {

    private static final LabConfig CONFIG = LabConfig.defaults().withVms(1).withDirtyMiBps(50)
            .withDir(LabConfig.defaults().socketDir().resolve("modes-lab"))
            .withIdentity("dy", "hsbr-dy", "10.74.0");
    private static final Lab LAB = new Lab(CONFIG, Timeouts.defaults());

    @TempDir
    static Path storeDir;

    @BeforeAll
    static void up() {
        if (LAB.isUp()) {
            LAB.down(n -> { });
        }
        LAB.up(n -> { });
    }

    @AfterAll
    static void down() {
        LAB.down(n -> { });
    }

    @Test
    void hotsnapPausesTheDirtyingGuestFarLessThanStopAndCopy() {
        SnapshotStore store = new SnapshotStore(storeDir);
        LocalSnapshots snapshots = new LocalSnapshots(CONFIG.socketDir(), store, Timeouts.defaults());
        Map<SnapshotMode, List<Double>> downtimes = new EnumMap<>(SnapshotMode.class);
        for (int run = 0; run < 3; run++) {
            for (SnapshotMode mode : SnapshotMode.values()) {
                Manifest m = snapshots.take(List.of("dy1"), mode, DiskMode.COPY, e -> { });
                assertEquals(Manifest.COMMITTED, m.status());
                assertEquals("running", LAB.status().get(0).state(), mode + " left the guest " + LAB.status().get(0).state());
                downtimes.computeIfAbsent(mode, k -> new ArrayList<>()).add(m.vms().get(0).downtimeMs());
            }
        }
        double hotsnap = median(downtimes.get(SnapshotMode.HOTSNAP));
        double stopcopy = median(downtimes.get(SnapshotMode.STOPCOPY));
        assertTrue(hotsnap * 4 < stopcopy, "median downtime: hotsnap " + hotsnap + " ms, stopcopy " + stopcopy + " ms; all: " + downtimes);
        assertEquals(9, store.list().size());
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
