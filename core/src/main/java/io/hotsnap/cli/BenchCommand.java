package io.hotsnap.cli;

import io.hotsnap.bench.BenchException;
import io.hotsnap.bench.BenchOptions;
import io.hotsnap.bench.BenchReport;
import io.hotsnap.bench.BenchTable;
import io.hotsnap.bench.Benchmark;
import io.hotsnap.cluster.ClusterMode;
import io.hotsnap.lab.LabException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code hotsnap bench}: every cluster mode compared on lab VMs of its own with live TCP streams
 * (the measuring lives in {@code io.hotsnap.bench}). Exit 1 if any measured run failed; the
 * results are printed all the same.
 */
final class BenchCommand implements Command {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "[--vms N] [--mem MiB] [--runs N] [--warmup N] [--modes hold,barrier,independent,precopy,stopcopy] [--dirty MiB/s] [--disk copy|none] [--sweep] [--store DIR]: cluster cut costs per mode; or "
                + PeerBench.SUMMARY;
    }

    @Override
    public int run(List<String> words, ResultPrinter printer) {
        Args args = Args.parse(words, Set.of("json", "sweep"));
        if (!args.positional().isEmpty()) {
            throw new CliException(CliException.USAGE, "bench takes no arguments, only options: " + summary());
        }
        boolean json = args.flag("json");
        if (args.option("peer").isPresent()) {
            return PeerBench.run(args.option("peer").get(), args, json, printer);
        }
        BenchOptions options = new BenchOptions(
                args.intOption("runs", BenchOptions.DEFAULT_RUNS, 1, 1000),
                args.intOption("warmup", BenchOptions.DEFAULT_WARMUP, 0, 100),
                args.option("modes").map(BenchCommand::modes).orElse(BenchOptions.DEFAULT_MODES),
                args.intOption("vms", BenchOptions.DEFAULT_VMS, 1, 16),
                args.intOption("mem", BenchOptions.DEFAULT_MEMORY_MIB, 64, 16384),
                args.intOption("dirty", BenchOptions.DEFAULT_DIRTY_MIBPS, 0, 1000),
                DiskMode.parse(args.option("disk").orElse("none")),
                args.option("store").map(s -> Path.of(s).toAbsolutePath()),
                args.flag("sweep"));
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

    private static List<ClusterMode> modes(String raw) {
        List<ClusterMode> modes = Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> {
                    try {
                        return ClusterMode.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw new CliException(CliException.USAGE, e.getMessage().replace("--mode ", "--modes "));
                    }
                }).distinct().toList();
        if (modes.isEmpty()) {
            throw new CliException(CliException.USAGE, "--modes names no mode");
        }
        return modes;
    }
}
