package io.hotsnap.bench;

import java.util.ArrayList;
import java.util.List;

/** The benchmark's result as a table for people (the CLI prints these lines; {@code --json} prints the report). */
public final class BenchTable {

    private static final String ROW = "%-12s %17s %8s %17s %13s %15s %11s %9s %9s %17s %9s %7s";

    private BenchTable() {
    }

    public static List<String> lines(BenchReport r) {
        List<String> out = new ArrayList<>();
        out.add(String.format("hotsnap bench: %s, disk %s, guests dirtying %d MiB/s, TCP stream from each VM to the next; %d runs per mode%s,"
                        + " modes interleaved", r.accel(), r.diskMode(), r.dirtyMiBps(), r.runs(),
                r.warmupRuns() > 0 ? " (after " + r.warmupRuns() + " warm-up round" + (r.warmupRuns() > 1 ? "s" : "") + ", not counted)" : ""));
        out.add(String.format("host load average %s (1 min, before, after); store %s writes %s MB/s (before, after)",
                String.join(", ", r.hostLoadAverage().stream().map(v -> fmt(v, 2)).toList()), r.store(),
                String.join(", ", r.fsWriteMBps().stream().map(v -> fmt(v, 1)).toList())));
        out.add("each cell: median / max over the runs; per run the largest downtime and hold of its VMs, the longest stall of its"
                + " flows, retransmissions and orphans summed");
        for (BenchReport.Size size : r.sizes()) {
            out.add("");
            out.add(String.format("%d VM%s x %d MiB (guests measured dirtying %s MiB/s)", size.vms(), size.vms() == 1 ? "" : "s",
                    size.memoryMiB(), fmt(size.measuredDirtyMiBps(), 1)));
            out.add(String.format(ROW, "MODE", "DOWNTIME ms", "vs hold", "SKEW ms", "HOLD ms", "TCP STALL ms", "RETRANS", "PROBES", "SPURIOUS",
                    "COMMIT ms", "ORPHANS", "FAILED"));
            for (BenchReport.Result x : size.results()) {
                out.add(String.format(ROW, x.mode(), cell(x.downtimeMs(), 1), x.downtimeVsHold() == null ? "-" : fmt(x.downtimeVsHold(), 2) + "x",
                        cell(x.skewMs(), 1), cell(x.holdMs(), 0), cell(x.stallMs(), 0), cell(x.retransmits(), 0),
                        cell(x.tailProbes(), 0), cell(x.spuriousRetransmits(), 0), cell(x.commitMs(), 0), cell(x.orphans(), 0), x.failed() + "/" + r.runs()));
            }
        }
        out.add("");
        out.add("RETRANS: retransmissions the cut caused that mean backoff (a drop, or a hold/pause that kept a segment or its ACK"
                + " past the timeout); PROBES: tail loss probes it caused (one resent tail, no backoff); SPURIOUS: resent data the"
                + " receiver already had (a starved guest, snapshot or not)");
        for (BenchReport.Failure f : r.failures()) {
            out.add(String.format("failed: %s on %d x %d MiB, run %d: %s", f.mode(), f.vms(), f.memoryMiB(), f.run(), f.error()));
        }
        return out;
    }

    static String cell(Stats s, int decimals) {
        return fmt(s.median(), decimals) + " / " + fmt(s.max(), decimals);
    }

    static String fmt(Double v, int decimals) {
        return v == null || v.isNaN() ? "-" : String.format("%." + decimals + "f", v);
    }
}
