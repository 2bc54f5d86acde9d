package io.hotsnap.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static BenchReport.Result result(String mode, String load, double... downtimes) {
        Stats d = Stats.of(java.util.Arrays.stream(downtimes).boxed().toList());
        Stats one = Stats.of(List.of(1.0));
        return new BenchReport.Result(mode, load, load.equals("idle") ? 0 : 50, null, d, one, one, one, null, 0);
    }

    @Test
    void ratioIsMedianDowntimeOverHotsnapsUnderTheSameLoad() {
        List<BenchReport.Result> r = Benchmark.withRatios(List.of(
                result("hotsnap", "idle", 2.0, 4.0),
                result("stopcopy", "idle", 300.0, 200.0, 100.0),
                result("hotsnap", "dirty", 10.0),
                result("stopcopy", "dirty", 250.0)));
        assertEquals(1.0, r.get(0).downtimeVsHotsnap());
        assertEquals(66.67, r.get(1).downtimeVsHotsnap());
        assertEquals(1.0, r.get(2).downtimeVsHotsnap());
        assertEquals(25.0, r.get(3).downtimeVsHotsnap());
    }

    @Test
    void noRatioWithoutHotsnapOrWithoutMeasurements() {
        List<BenchReport.Result> r = Benchmark.withRatios(List.of(result("precopy", "idle", 5.0), result("hotsnap", "dirty")));
        assertNull(r.get(0).downtimeVsHotsnap());
        assertNull(r.get(1).downtimeVsHotsnap());
    }

    @Test
    void tableHasOneRowPerModeAndLoad() {
        List<BenchReport.Result> results = Benchmark.withRatios(List.of(result("hotsnap", "idle", 3.0), result("precopy", "idle", 30.0)));
        BenchReport report = new BenchReport(1, 0, 256, "bench1", "tcg", "copy", List.of(1.5, 2.0), "/var/tmp/x", List.of(500.0, 700.0), 600.0,
                Benchmark.FULL_FROM, results, List.of());
        List<String> lines = BenchTable.lines(report);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("hotsnap") && l.contains("3.000") && l.contains("1.00x")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("precopy") && l.contains("30.000") && l.contains("10.00x")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("500.0, 700.0") && l.contains("median 600.0")), lines.toString());
    }
}
