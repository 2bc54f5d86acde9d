package io.hotsnap.bench;

import io.hotsnap.coordinator.ClusterException;
import io.hotsnap.coordinator.ClusterOptions;
import io.hotsnap.coordinator.ClusterTarget;
import io.hotsnap.coordinator.Coordinator;
import io.hotsnap.coordinator.LocalAgentLink;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.util.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * {@code hotsnap bench}: cluster snapshots of lab VMs with live TCP streams and a memory-dirtying
 * load, in every mode, {@code runs} times each in interleaved order (run 1 of each mode, then
 * run 2 of each …) so that the machine's noise falls on every mode alike; optionally swept over VM
 * count and memory size. Per mode: downtime, skew, hold, TCP stall, retransmissions, orphans and
 * time to a committed cut, as median and max. The benchmark's lab is always taken down at the
 * end, also on failure and on Ctrl-C.
 */
public final class Benchmark {

    /** How much the file-system write test writes, before and after the runs. */
    public static final long FS_WRITE_BYTES = 256L << 20;
    private static final int MAX_CONSECUTIVE_FAILURES = 3;
    private static final int DIRTY_SETTLE_SECONDS = 120;

    private final BenchOptions options;
    private final Timeouts timeouts;
    private final Consumer<String> progress;
    private final BenchLab lab;

    /** One run's figures. */
    private record Sample(double downtimeMs, double skewMs, double holdMs, double stallMs, double retransmits, double probes,
                          double spurious, double orphans, double commitMs) {

        static Sample of(ClusterResult r) {
            TcpReport tcp = r.tcp();
            boolean measured = tcp != null && tcp.orphanPackets() != null;
            return new Sample(max(r.vms(), VmResult::downtimeMs), r.skewMs(), max(r.vms(), VmResult::holdMs),
                    measured ? tcp.maxStallMs() : Double.NaN, measured ? tcp.retransmits() : Double.NaN,
                    measured ? tcp.tailProbes() : Double.NaN, measured ? tcp.flows().stream().mapToInt(TcpReport.Flow::spuriousRetransmits).sum() : Double.NaN,
                    measured ? tcp.orphanPackets() : Double.NaN, r.commitMs());
        }

        private static double max(List<VmResult> vms, ToDoubleFunction<VmResult> f) {
            return vms.stream().mapToDouble(f).max().orElse(Double.NaN);
        }
    }

    public Benchmark(BenchOptions options, Timeouts timeouts, Consumer<String> progress) {
        this.options = options;
        this.timeouts = timeouts;
        this.progress = progress;
        this.lab = new BenchLab(timeouts, progress);
    }

    public BenchReport run() {
        lab.checkFree();
        boolean temporary = options.store().isEmpty();
        Path root = options.store().map(Path::toAbsolutePath).orElseGet(Benchmark::temporaryStore);
        Thread hook = new Thread(() -> {
            progress.accept("bench interrupted: taking its lab down");
            lab.down();
            cleanUp(root, temporary);
        }, "hotsnap-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return measure(root);
        } finally {
            lab.down();
            cleanUp(root, temporary);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (and finds nothing left to do)
            }
        }
    }

    private BenchReport measure(Path root) {
        SnapshotStore store = new SnapshotStore(root);
        List<Double> fsWrite = new ArrayList<>(List.of(fsWrite(root, "before the runs")));
        List<Double> hostLoad = new ArrayList<>(List.of(HostLoad.oneMinute()));
        List<BenchReport.Size> sizes = new ArrayList<>();
        List<BenchReport.Failure> failures = new ArrayList<>();
        String accel = "";
        for (BenchOptions.LabSize size : options.sizes()) {
            progress.accept(String.format("== %d VM%s x %d MiB, dirtying %d MiB/s: bringing up the bench lab", size.vms(),
                    size.vms() == 1 ? "" : "s", size.memoryMiB(), options.dirtyMiBps()));
            List<LabVmStatus> vms = lab.up(size, options.dirtyMiBps());
            accel = vms.get(0).accel();
            double dirty = settle(Path.of(vms.get(0).qmp()));
            Map<ClusterMode, List<Sample>> samples = runs(size, vms, store, failures);
            lab.down();
            sizes.add(new BenchReport.Size(size.vms(), size.memoryMiB(), Double.isNaN(dirty) ? null : round(dirty, 1),
                    results(size, samples, failures)));
        }
        fsWrite.add(fsWrite(root, "after the runs"));
        hostLoad.add(HostLoad.oneMinute());
        return new BenchReport(options.runs(), options.warmupRuns(), accel, options.diskMode().cliName(), options.dirtyMiBps(), hostLoad,
                root.toString(), fsWrite, sizes, failures);
    }

    /** The guests' dirtying rate once their load has started (a guest needs a while to make its random seed). */
    private double settle(Path qmp) {
        OptionalDouble rate = DirtyRate.measure(qmp, 1, timeouts);
        if (options.dirtyMiBps() > 0) {
            long deadline = System.nanoTime() + DIRTY_SETTLE_SECONDS * 1_000_000_000L;
            while ((rate.isEmpty() || rate.getAsDouble() < options.dirtyMiBps() / 2.0) && System.nanoTime() < deadline) {
                progress.accept(String.format("waiting for the guests' dirtying load to start (measured %s MiB/s)",
                        rate.isPresent() ? String.format("%.1f", rate.getAsDouble()) : "?"));
                sleep(2000);
                rate = DirtyRate.measure(qmp, 1, timeouts);
            }
        }
        double r = rate.orElse(Double.NaN);
        progress.accept(String.format("guest dirtying rate %.1f MiB/s (QEMU calc-dirty-rate, first VM)", r));
        return r;
    }

    private Map<ClusterMode, List<Sample>> runs(BenchOptions.LabSize size, List<LabVmStatus> vms, SnapshotStore store,
                                                List<BenchReport.Failure> failures) {
        Map<ClusterMode, List<Sample>> samples = new EnumMap<>(ClusterMode.class);
        options.modes().forEach(m -> samples.put(m, new ArrayList<>()));
        List<String> names = vms.stream().map(LabVmStatus::name).toList();
        int consecutiveFailures = 0;
        int rounds = options.warmupRuns() + options.runs();
        // One agent for every run, as a console keeps its hosts' agents: its start is not the cut's cost.
        try (LocalAgentLink agent = LocalAgentLink.start(timeouts)) {
            for (int round = 1; round <= rounds; round++) {
                boolean warmup = round <= options.warmupRuns();
                int run = round - options.warmupRuns();
                String label = warmup ? "warm-up " + round : "run " + run + "/" + options.runs();
                for (ClusterMode mode : options.modes()) {
                    try {
                        Sample s = once(agent, names, mode, store);
                        consecutiveFailures = 0;
                        progress.accept(String.format("%-11s %-11s downtime %8.1f ms  skew %7.1f ms  hold %6.0f ms  stall %6.0f ms"
                                        + "  retrans %3.0f  probes %2.0f  spurious %2.0f  orphans %4.0f  commit %6.0f ms%s", label,
                                mode.cliName(), s.downtimeMs(), s.skewMs(), s.holdMs(), s.stallMs(), s.retransmits(), s.probes(),
                                s.spurious(), s.orphans(), s.commitMs(),
                                warmup ? "  (not counted)" : ""));
                        if (!warmup) {
                            samples.get(mode).add(s);
                        }
                    } catch (ClusterException | IllegalStateException e) {
                        consecutiveFailures++;
                        progress.accept(String.format("%-11s %-11s FAILED: %s", label, mode.cliName(), e.getMessage()));
                        if (!warmup) {
                            failures.add(new BenchReport.Failure(mode.cliName(), size.vms(), size.memoryMiB(), run,
                                    String.valueOf(e.getMessage())));
                        }
                        checkGuestsAlive(mode, e);
                        if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
                            throw new BenchException(consecutiveFailures + " snapshots in a row failed, the last one: " + e.getMessage());
                        }
                    }
                }
            }
        }
        return samples;
    }

    /** One cut, measured; its snapshot deleted afterwards. */
    private Sample once(LocalAgentLink agent, List<String> vms, ClusterMode mode, SnapshotStore store) {
        ClusterResult result = new Coordinator(List.of(new ClusterTarget(agent, vms)),
                ClusterOptions.defaults().withMode(mode).withStore(store.root().toString()).withDiskMode(options.diskMode()), e -> { })
                .snapshot();
        try {
            store.delete(result.id());
        } catch (IOException e) {
            progress.accept("cannot delete snapshot " + result.id() + ": " + e.getMessage());
        }
        return Sample.of(result);
    }

    /**
     * After a failed run: every VM must still run, and its guest still tick (QEMU can say
     * "running" of a guest whose memory a broken-off background snapshot left write-protected).
     */
    private void checkGuestsAlive(ClusterMode mode, RuntimeException cause) {
        for (LabVmStatus vm : lab.status()) {
            if (!vm.state().equals("running")) {
                throw new BenchException(vm.name() + " is " + vm.state() + " after a failed " + mode.cliName() + " snapshot ("
                        + cause.getMessage() + "); the benchmark stops");
            }
            if (!guestTicks(Path.of(vm.serialLog()))) {
                throw new BenchException(vm.name() + "'s guest is frozen (no new tick for " + Waits.GUEST_TICK.toSeconds()
                        + " s) though QEMU says it runs, after a failed " + mode.cliName() + " snapshot; the benchmark stops");
            }
        }
    }

    /** Whether the lab guest prints a new tick (it prints one every 100 ms while it runs) within the patience. */
    static boolean guestTicks(Path serialLog) {
        long before = SerialLog.lastTick(serialLog).orElse(-1);
        return Poll.every(Waits.SERIAL_TICK_POLL, Waits.GUEST_TICK)
                .until(() -> SerialLog.lastTick(serialLog).orElse(-1) > before);
    }

    private List<BenchReport.Result> results(BenchOptions.LabSize size, Map<ClusterMode, List<Sample>> samples,
                                             List<BenchReport.Failure> failures) {
        List<BenchReport.Result> out = new ArrayList<>();
        Double hold = samples.containsKey(ClusterMode.HOLD) ? stats(samples.get(ClusterMode.HOLD), Sample::downtimeMs).median() : null;
        for (ClusterMode mode : options.modes()) {
            List<Sample> s = samples.get(mode);
            Stats downtime = stats(s, Sample::downtimeMs);
            int failed = (int) failures.stream().filter(f -> f.mode().equals(mode.cliName()) && f.vms() == size.vms()
                    && f.memoryMiB() == size.memoryMiB()).count();
            out.add(new BenchReport.Result(mode.cliName(), downtime, stats(s, Sample::skewMs), stats(s, Sample::holdMs),
                    stats(s, Sample::stallMs), stats(s, Sample::retransmits), stats(s, Sample::probes), stats(s, Sample::spurious),
                    stats(s, Sample::orphans),
                    stats(s, Sample::commitMs), ratio(downtime.median(), hold), failed));
        }
        return out;
    }

    static Double ratio(Double value, Double base) {
        return value == null || base == null || base <= 0 ? null : round(value / base, 2);
    }

    private static Stats stats(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return Stats.of(samples.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).map(v -> round(v, 3)).boxed().toList());
    }

    private double fsWrite(Path root, String when) {
        try {
            double mbps = round(FsWriteSpeed.measure(root, FS_WRITE_BYTES), 1);
            progress.accept(String.format("store %s: sequential write %.1f MB/s (%d MiB, fsync'ed) %s", root, mbps, FS_WRITE_BYTES >> 20, when));
            return mbps;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure the write speed of " + root + ": " + e.getMessage(), e);
        }
    }

    static Path temporaryStore() {
        try {
            return Files.createTempDirectory(Path.of("/var/tmp"), "hotsnap-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary snapshot store in /var/tmp: " + e.getMessage(), e);
        }
    }

    /** A temporary store goes entirely; a given one keeps whatever it had. */
    private void cleanUp(Path root, boolean temporary) {
        if (!temporary) {
            return;
        }
        try {
            PrivateFiles.deleteTree(root);
        } catch (IOException | UncheckedIOException e) {
            progress.accept("cannot remove the temporary store " + root + ": " + e.getMessage());
        }
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }
}
