package io.hotsnap.cli;

import io.hotsnap.bench.BenchException;
import io.hotsnap.bench.BenchOptions;
import io.hotsnap.bench.BenchReport;
import io.hotsnap.bench.BenchTable;
import io.hotsnap.bench.Benchmark;
import io.hotsnap.lab.LabException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.SnapshotMode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code hotsnap bench}: the one-VM comparison of hotsnap, precopy and stopcopy on a lab VM of its
 * own (the measuring lives in {@code io.hotsnap.bench}). Exit 1 if any measured run failed; the
 * results are printed all the same.
 */
final class BenchCommand implements Command {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "[--runs N] [--warmup N] [--modes hotsnap,precopy,stopcopy] [--dirty MiB/s] [--disk copy|none] [--store DIR] [--keep]: downtime and throughput per mode";
    }

    @Override
    public int run(List<String> words, ResultPrinter printer) {
        Args args = Args.parse(words, Set.of("json", "keep"));
        if (!args.positional().isEmpty()) {
            throw new CliException(CliException.USAGE, "bench takes no arguments, only options: " + summary());
        }
        boolean json = args.flag("json");
        BenchOptions options = new BenchOptions(
                args.intOption("runs", BenchOptions.DEFAULT_RUNS, 1, 1000),
                args.intOption("warmup", BenchOptions.DEFAULT_WARMUP, 0, 100),
                args.option("modes").map(BenchCommand::modes).orElse(BenchOptions.DEFAULT_MODES),
                args.intOption("dirty", BenchOptions.DEFAULT_DIRTY_MIBPS, 0, 1000),
                DiskMode.parse(args.option("disk").orElse("copy")),
                args.option("store").map(s -> Path.of(s).toAbsolutePath()),
                args.flag("keep"));
        args.rejectUnknown();
        BenchReport report;
        try {
            report = new Benchmark(options, Timeouts.defaults(), printer::note).run();
        } catch (LabException e) {
            throw new CliException(switch (e.kind()) {
                case CONFLICT -> CliException.CONFLICT;
                case MISSING -> CliException.MISSING;
                case FAILED -> CliException.FAILED;
            }, e.getMessage());
        } catch (BenchException e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        }
        if (json) {
            printer.json(report);
        } else {
            BenchTable.lines(report).forEach(printer::text);
        }
        return report.failures().isEmpty() ? 0 : CliException.FAILED;
    }

    private static List<SnapshotMode> modes(String raw) {
        List<SnapshotMode> modes = Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> {
                    try {
                        return SnapshotMode.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw new CliException(CliException.USAGE, "--modes takes hotsnap, precopy and stopcopy, not '" + s + "'");
                    }
                }).distinct().toList();
        if (modes.isEmpty()) {
            throw new CliException(CliException.USAGE, "--modes names no mode");
        }
        return modes;
    }
}
