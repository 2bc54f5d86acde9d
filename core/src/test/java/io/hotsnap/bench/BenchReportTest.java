package io.hotsnap.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.snapshot.DiskMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static BenchReport.Result result(String mode, double downtime, Double vsHold) {
        Stats d = Stats.of(List.of(downtime));
        Stats one = Stats.of(List.of(1.0));
        return new BenchReport.Result(mode, d, one, one, Stats.of(List.of(250.0)), one, one, one, Stats.of(List.of(0.0)), one, vsHold, 0);
    }

    @Test
    void ratioIsOverTheBaseAndAbsentWithoutOne() {
        assertEquals(66.67, Benchmark.ratio(200.0, 3.0));
        assertNull(Benchmark.ratio(200.0, null));
        assertNull(Benchmark.ratio(null, 3.0));
    }

    @Test
    void tableHasOneBlockPerLabSizeAndOneRowPerMode() {
        BenchReport report = new BenchReport(1, 0, "tcg", "none", 20, List.of(1.5, 2.0), "/var/tmp/x", List.of(500.0, 700.0),
                List.of(new BenchReport.Size(3, 256, 19.5, List.of(result("hold", 30.0, 1.0), result("precopy", 300.0, 10.0)))), List.of());
        List<String> lines = BenchTable.lines(report);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("3 VMs x 256 MiB") && l.contains("19.5")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("hold") && l.contains("30.0 / 30.0") && l.contains("1.00x")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("precopy") && l.contains("10.00x") && l.contains("250 / 250")),
                lines.toString());
    }

    @Test
    void sweepMeasuresEveryVmCountAndMemorySizeOnce() {
        BenchOptions sweep = new BenchOptions(1, 0, List.of(ClusterMode.HOLD), 3, 256, 0, DiskMode.NONE, Optional.empty(), true);
        List<BenchOptions.LabSize> sizes = sweep.sizes();
        assertEquals(6, sizes.size(), sizes.toString());
        assertTrue(sizes.contains(new BenchOptions.LabSize(4, 256)));
        assertTrue(sizes.contains(new BenchOptions.LabSize(3, 512)));
        assertEquals(List.of(new BenchOptions.LabSize(3, 256)),
                new BenchOptions(1, 0, List.of(ClusterMode.HOLD), 3, 256, 0, DiskMode.NONE, Optional.empty(), false).sizes());
    }
}
