package io.hotsnap.cli;

import io.hotsnap.bench.BenchException;
import io.hotsnap.bench.BenchOptions;
import io.hotsnap.bench.BenchReport;
import io.hotsnap.bench.BenchTable;
import io.hotsnap.bench.Benchmark;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotsnap bench}: every cluster mode compared on lab VMs of its own with live TCP streams
 * (the measuring lives in {@code io.hotsnap.bench}); or, with {@code --peer libvirt}, ours next to
 * libvirt's own snapshots. Exit 1 if any measured run failed; the results are printed all the same.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure cluster cuts per mode on lab VMs of the bench's own (docs/BENCHMARKS.md); with --peer libvirt,"
                + " ours next to libvirt's own snapshots (then only --runs, --warmup, --mem and --dirty apply).")
final class BenchCommand implements Callable<Integer> {

    /** The options of the cluster bench that mean nothing beside {@code --peer}. */
    private static final List<String> CLUSTER_ONLY = List.of("--count", "--modes", "--disk", "--sweep", "--store");

    private final ResultPrinter printer;
    @Spec
    private CommandSpec spec;

    @Option(names = "--count", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_VMS,
            description = "how many lab VMs, 1-16 (default ${DEFAULT-VALUE})")
    private int count;
    @Option(names = "--mem", paramLabel = "MiB", defaultValue = "" + BenchOptions.DEFAULT_MEMORY_MIB,
            description = "memory per VM, 64-16384 (default ${DEFAULT-VALUE})")
    private int mem;
    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_RUNS,
            description = "measured runs per mode, 1-1000 (default ${DEFAULT-VALUE})")
    private int runs;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_WARMUP,
            description = "warm-up rounds, not counted, 0-100 (default ${DEFAULT-VALUE})")
    private int warmup;
    @Option(names = "--modes", paramLabel = "MODE", split = ",",
            description = "the modes to compare: hold, barrier, independent, precopy, stopcopy (default: all of these; auto, on the lab, is hold)")
    private List<String> modes;
    @Option(names = "--dirty", paramLabel = "MiB/s", defaultValue = "" + BenchOptions.DEFAULT_DIRTY_MIBPS,
            description = "memory each guest dirties, 0-1000; 0-64 with --peer (default ${DEFAULT-VALUE})")
    private int dirty;
    @Option(names = "--disk", paramLabel = "copy|none", defaultValue = "none", description = "the disks' point in time (default ${DEFAULT-VALUE})")
    private String disk;
    @Option(names = "--sweep", description = "also 1-4 VMs and 128/256/512 MiB")
    private boolean sweep;
    @Option(names = "--peer", paramLabel = "libvirt", description = "compare with libvirt's own snapshots instead of across modes")
    private String peer;
    @Mixin
    private StoreOption store;
    @Mixin
    private JsonOption json;

    BenchCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        if (peer != null) {
            CLUSTER_ONLY.stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).findFirst().ifPresent(o -> {
                throw new CliException(ExitCode.USAGE, "unknown option " + o);
            });
            return PeerBench.run(peer, Values.between("--runs", runs, 1, 1000), Values.between("--warmup", warmup, 0, 100),
                    Values.between("--mem", mem, 64, 16384), Values.between("--dirty", dirty, 0, 64), json.json, printer);
        }
        BenchOptions options = new BenchOptions(
                Values.between("--runs", runs, 1, 1000),
                Values.between("--warmup", warmup, 0, 100),
                modes == null ? BenchOptions.DEFAULT_MODES : modes(modes),
                Values.between("--count", count, 1, 16),
                Values.between("--mem", mem, 64, 16384),
                Values.between("--dirty", dirty, 0, 1000),
                DiskMode.parse(disk),
                store.given(),
                sweep);
        BenchReport report;
        try {
            report = new Benchmark(options, Timeouts.defaults(), printer::note).run();
        } catch (BenchException e) {
            throw new CliException(ExitCode.FAILED, e.getMessage());
        }
        if (json.json) {
            printer.json(report);
        } else {
            BenchTable.lines(report).forEach(printer::text);
        }
        return report.failures().isEmpty() ? 0 : ExitCode.FAILED.code();
    }

    private static List<ClusterMode> modes(List<String> raw) {
        List<ClusterMode> modes = Values.names(raw).stream()
                .map(s -> {
                    try {
                        return ClusterMode.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw new CliException(ExitCode.USAGE, e.getMessage().replace("--mode ", "--modes "));
                    }
                }).distinct().toList();
        if (modes.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--modes names no mode");
        }
        return modes;
    }
}
