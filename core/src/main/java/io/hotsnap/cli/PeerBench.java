package io.hotsnap.cli;

import io.hotsnap.bench.BenchException;
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

    private PeerBench() {
    }

    static int run(String peer, int runs, int warmup, int memMiB, int dirtyMiBps, boolean json, ResultPrinter printer) {
        if (!peer.equals("libvirt")) {
            throw new CliException(ExitCode.USAGE, "--peer knows only libvirt, not '" + peer + "'");
        }
        LibvirtPeerReport report;
        try {
            report = new LibvirtPeerBench(new LibvirtPeerOptions(runs, warmup, memMiB, dirtyMiBps), Timeouts.defaults(), printer::note).run();
        } catch (BenchException | VirshException | java.io.UncheckedIOException e) {
            throw new CliException(ExitCode.FAILED, e.getMessage());
        }
        if (json) {
            printer.json(report);
        } else {
            LibvirtPeerTable.lines(report).forEach(printer::text);
        }
        return report.failures().isEmpty() ? 0 : ExitCode.FAILED.code();
    }
}
