package io.hotsnap.bench;

import java.util.ArrayList;
import java.util.List;

/** {@code hotsnap bench --peer libvirt}'s result as a table for people ({@code --json} prints the report). */
public final class LibvirtPeerTable {

    private static final String ROW = "%-15s %19s %9s %9s %19s %19s %7s";

    private LibvirtPeerTable() {
    }

    public static List<String> lines(LibvirtPeerReport r) {
        List<String> out = new ArrayList<>();
        out.add(String.format("hotsnap bench --peer libvirt: domain %s (%d MiB, TCG), %d runs per method and load%s, methods interleaved",
                r.domain(), r.memoryMiB(), r.runs(),
                r.warmupRuns() > 0 ? " (after " + r.warmupRuns() + " warm-up round" + (r.warmupRuns() > 1 ? "s" : "") + ", not counted)" : ""));
        out.add("host load average " + String.join(", ", r.hostLoadAverage().stream().map(v -> BenchTable.fmt(v, 2)).toList()) + " (1 min, before, after)");
        out.add("each cell: median / max over the runs; PAUSE: the guest's downtime, QEMU's STOP to RESUME events summed per snapshot;"
                + " TOTAL: until the snapshot was complete");
        for (LibvirtPeerReport.Load load : r.loads()) {
            out.add("");
            out.add(load.dirtyMiBps() == 0 ? String.format("idle guest (measured dirtying %s MiB/s)", BenchTable.fmt(load.measuredDirtyMiBps(), 1))
                    : String.format("guest dirtying %d MiB/s (measured %s MiB/s)", load.dirtyMiBps(), BenchTable.fmt(load.measuredDirtyMiBps(), 1)));
            out.add(String.format(ROW, "METHOD", "PAUSE ms", "vs ours", "PAUSES", "LONGEST PAUSE ms", "TOTAL ms", "FAILED"));
            for (LibvirtPeerReport.Result x : load.results()) {
                out.add(String.format(ROW, x.method(), BenchTable.cell(x.pauseMs(), 1), x.pauseVsHotsnap() == null ? "-" : BenchTable.fmt(x.pauseVsHotsnap(), 1) + "x",
                        BenchTable.cell(x.pauses(), 0), BenchTable.cell(x.longestPauseMs(), 1), BenchTable.cell(x.totalMs(), 0), x.failed() + "/" + r.runs()));
            }
        }
        for (LibvirtPeerReport.Failure f : r.failures()) {
            out.add(String.format("failed: %s, dirtying %d MiB/s, run %d: %s", f.method(), f.dirtyMiBps(), f.run(), f.error()));
        }
        return out;
    }
}
