package io.hotsnap.cli;

import io.hotsnap.bench.BenchException;
import io.hotsnap.bench.BenchOptions;
import io.hotsnap.bench.LibvirtPeerBench;
import io.hotsnap.bench.LibvirtPeerOptions;
import io.hotsnap.bench.LibvirtPeerReport;
import io.hotsnap.bench.LibvirtPeerTable;
import io.hotsnap.libvirt.VirshException;
import io.hotsnap.settings.Timeouts;

/**
 * {@code hotsnap bench --peer libvirt}: our hot snapshot next to libvirt's own snapshots on a
 * libvirt domain of the bench's own (the measuring lives in {@code io.hotsnap.bench}). Exit 1 if
 * any measured run failed; the results are printed all the same.
 */
final class PeerBench {

    static final String SUMMARY = "--peer libvirt [--runs N] [--warmup N] [--mem MiB] [--dirty MiB/s]: ours next to libvirt's own snapshots";

    private PeerBench() {
    }

    static int run(String peer, Args args, boolean json, ResultPrinter printer) {
        if (!peer.equals("libvirt")) {
            throw new CliException(CliException.USAGE, "--peer knows only libvirt, not '" + peer + "'");
        }
        LibvirtPeerOptions options = new LibvirtPeerOptions(
                args.intOption("runs", BenchOptions.DEFAULT_RUNS, 1, 1000),
                args.intOption("warmup", BenchOptions.DEFAULT_WARMUP, 0, 100),
                args.intOption("mem", BenchOptions.DEFAULT_MEMORY_MIB, 64, 16384),
                args.intOption("dirty", BenchOptions.DEFAULT_DIRTY_MIBPS, 0, 64));
        args.rejectUnknown();
        LibvirtPeerReport report;
        try {
            report = new LibvirtPeerBench(options, Timeouts.defaults(), printer::note).run();
        } catch (BenchException | VirshException | java.io.UncheckedIOException e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        }
        if (json) {
            printer.json(report);
        } else {
            LibvirtPeerTable.lines(report).forEach(printer::text);
        }
        return report.failures().isEmpty() ? 0 : CliException.FAILED;
    }
}
