package io.hotsnap.report;

import io.hotsnap.bench.BenchReport;
import io.hotsnap.bench.Stats;
import io.hotsnap.report.charts.DowntimeChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code hotsnap bench --json} result: per lab size, the modes side by side (medians, maxima, and
 * ratios to hold mode's medians), and their downtimes as bars.
 */
final class BenchDocument {

    static final List<String> HEADER = List.of("mode", "downtime median / max", "vs hold", "skew", "hold", "TCP stall", "stall vs hold",
            "orphans", "commit", "commit vs hold", "failed");

    private BenchDocument() {
    }

    static Document of(BenchReport bench) {
        Document.Builder d = new Document.Builder("Benchmark of " + bench.sizes().stream().flatMap(s -> s.results().stream())
                .map(BenchReport.Result::mode).distinct().count() + " modes");
        d.heading("Setup");
        d.field("Runs per mode", bench.runs() + (bench.warmupRuns() > 0 ? " (after " + bench.warmupRuns() + " warm-up, not counted)" : ""));
        d.field("Accelerator", bench.accel());
        d.field("Disks", bench.diskMode());
        d.field("Guests dirtying", bench.dirtyMiBps() + " MiB/s");
        d.field("Host load average", join(bench.hostLoadAverage(), 2) + " (before, after)");
        d.field("Store", bench.store() + ", writes " + join(bench.fsWriteMBps(), 1) + " MB/s (before, after)");
        for (BenchReport.Size size : bench.sizes()) {
            BenchReport.Result hold = hold(size);
            d.heading(size.vms() + " VM" + (size.vms() == 1 ? "" : "s") + " × " + size.memoryMiB() + " MiB");
            d.table(HEADER, size.results().stream().map(r -> List.of(r.mode(), medianMax(r.downtimeMs()), ratio(r.downtimeVsHold()),
                    median(r.skewMs(), 1), median(r.holdMs(), 0), median(r.stallMs(), 0), ratio(vsHold(r.stallMs(), hold, BenchReport.Result::stallMs)),
                    median(r.orphans(), 0), median(r.commitMs(), 0), ratio(vsHold(r.commitMs(), hold, BenchReport.Result::commitMs)),
                    r.failed() + "/" + bench.runs())).toList());
            d.figure(List.of(new Document.Key(Charts.PAUSE, "median downtime"), new Document.Key(Charts.MAX, "the largest")),
                    Charts.downtime(size.results().stream().filter(r -> r.downtimeMs().median() != null)
                            .map(r -> new DowntimeChart.Bar(r.mode(), r.downtimeMs().median(), r.downtimeMs().max())).toList(),
                            "median and maximum downtime per mode, ms"));
        }
        d.paragraph("Medians over the runs, ms; per run the largest downtime and hold of its VMs, the longest stall of its flows, "
                + "orphans summed. A ratio is the mode's median over hold mode's.");
        List<String> failures = new ArrayList<>();
        bench.failures().forEach(f -> failures.add(f.mode() + " on " + f.vms() + " × " + f.memoryMiB() + " MiB, run " + f.run() + ": " + f.error()));
        if (!failures.isEmpty()) {
            d.heading("Failed runs");
            failures.forEach(d::paragraph);
        }
        return d.build();
    }

    static BenchReport.Result hold(BenchReport.Size size) {
        return size.results().stream().filter(r -> "hold".equals(r.mode())).findFirst().orElse(null);
    }

    /** The mode's median over hold mode's, or null when either is missing or hold's is 0. */
    static Double vsHold(Stats stats, BenchReport.Result hold, java.util.function.Function<BenchReport.Result, Stats> which) {
        if (hold == null || stats.median() == null || which.apply(hold).median() == null || which.apply(hold).median() == 0) {
            return null;
        }
        return stats.median() / which.apply(hold).median();
    }

    private static String medianMax(Stats s) {
        return s.median() == null ? "—" : fmt(s.median(), 1) + " / " + fmt(s.max(), 1);
    }

    private static String median(Stats s, int decimals) {
        return s.median() == null ? "—" : fmt(s.median(), decimals);
    }

    private static String ratio(Double r) {
        return r == null ? "—" : fmt(r, 2) + "×";
    }

    private static String join(List<Double> values, int decimals) {
        return String.join(", ", values.stream().map(v -> v == null ? "—" : fmt(v, decimals)).toList());
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
