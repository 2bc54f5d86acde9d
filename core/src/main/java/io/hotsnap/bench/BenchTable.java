package io.hotsnap.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's result as a table for people (the CLI prints these lines; {@code --json} prints the report). */
public final class BenchTable {

    private static final String ROW = "%-9s %-15s %12s %12s %11s %10s %10s %11s %7s";

    private BenchTable() {
    }

    public static List<String> lines(BenchReport r) {
        List<String> out = new ArrayList<>();
        out.add(String.format("hotsnap bench: %s, %d MiB guest, %s, disk %s; %d runs per mode and load%s, modes taken round-robin",
                r.vm(), r.vmMemoryMiB(), r.accel(), r.diskMode(), r.runs(),
                r.warmupRuns() > 0 ? " (after " + r.warmupRuns() + " warm-up round" + (r.warmupRuns() > 1 ? "s" : "") + ", not counted)" : ""));
        out.add(String.format("host load average %s (1 min, before, after)",
                String.join(", ", r.hostLoadAverage().stream().map(v -> fmt(v, 2)).toList())));
        out.add(String.format("store %s: sequential write %s MB/s (before, after; median %s MB/s)", r.store(),
                String.join(", ", r.fsWriteMBps().stream().map(v -> fmt(v, 1)).toList()), fmt(r.fsWriteMedianMBps(), 1)));
        out.add("");
        out.add(String.format(ROW, "MODE", "LOAD", "DOWNTIME ms", "DOWNTIME ms", "FULL ms", "MB/s", "IMAGE MiB", "DOWNTIME", "FAILED"));
        out.add(String.format(ROW, "", "", "median", "max", "median", "median", "median", "vs hotsnap", ""));
        for (BenchReport.Result x : r.results()) {
            String load = x.dirtyMiBps() == 0 ? x.load() : x.load() + " " + x.dirtyMiBps() + " MiB/s";
            out.add(String.format(ROW, x.mode(), load, fmt(x.downtimeMs().median(), 3), fmt(x.downtimeMs().max(), 3),
                    fmt(x.fullMs().median(), 1), fmt(x.throughputMBps().median(), 1), fmt(x.memoryImageMiB().median(), 1),
                    x.downtimeVsHotsnap() == null ? "-" : fmt(x.downtimeVsHotsnap(), 2) + "x", x.failed() + "/" + r.runs()));
        }
        out.add("");
        Map<String, String> dirty = new LinkedHashMap<>();
        r.results().forEach(x -> dirty.putIfAbsent(x.load(), x.dirtyMiBps() + " MiB/s asked, "
                + (x.measuredDirtyMiBps() == null ? "not measurable" : fmt(x.measuredDirtyMiBps(), 1) + " MiB/s measured") + " by QEMU"));
        dirty.forEach((load, text) -> out.add("guest dirtying rate, " + load + ": " + text));
        out.add("full time: from " + r.fullFrom() + "; MB/s = memory image bytes / full time (10^6 bytes/s)");
        for (BenchReport.Failure f : r.failures()) {
            out.add(String.format("failed: %s %s run %d: %s", f.mode(), f.load(), f.run(), f.error()));
        }
        return out;
    }

    private static String fmt(Double v, int decimals) {
        return v == null || v.isNaN() ? "-" : String.format("%." + decimals + "f", v);
    }
}
