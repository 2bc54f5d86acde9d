package io.hotsnap.bench;

import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.LocalSnapshots;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotEvent;
import io.hotsnap.snapshot.SnapshotMode;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code hotsnap bench}: downtime of the hotsnap, precopy and stopcopy modes on the same 256 MiB
 * guest, idle and under a memory-dirtying load, plus full-snapshot throughput next to the store's
 * sequential write speed measured in the same run. Modes are taken round-robin (run 1 of each mode,
 * then run 2 of each …) so that the machine's noise falls on every mode alike. The benchmark's lab
 * is always taken down at the end, also on failure and on Ctrl-C.
 */
public final class Benchmark {

    /** How much the file-system write test writes, before and after the runs. */
    public static final long FS_WRITE_BYTES = 256L << 20;
    static final String FULL_FROM = "the snapshot point (STOP) for hotsnap and stopcopy; the start of the memory copy for precopy,"
            + " whose live rounds precede its STOP";
    private static final int MAX_CONSECUTIVE_FAILURES = 3;
    private static final int DIRTY_SETTLE_SECONDS = 120;
    private static final int TICK_PATIENCE_SECONDS = 10;

    private final BenchOptions options;
    private final Timeouts timeouts;
    private final Consumer<String> progress;
    private final BenchLab lab;

    private record Load(String name, int dirtyMiBps) {
    }

    private record Sample(double downtimeMs, double fullMs, double throughputMBps, double memoryImageMiB) {
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
        List<Double> fsWrite = new ArrayList<>();
        List<Double> hostLoad = new ArrayList<>(List.of(loadAverage()));
        fsWrite.add(fsWrite(root, "before the runs"));
        List<Load> loads = new ArrayList<>(List.of(new Load(BenchReport.IDLE, 0)));
        if (options.dirtyMiBps() > 0) {
            loads.add(new Load(BenchReport.DIRTY, options.dirtyMiBps()));
        }
        List<BenchReport.Result> results = new ArrayList<>();
        List<BenchReport.Failure> failures = new ArrayList<>();
        String vmName = "";
        String accel = "";
        for (Load load : loads) {
            progress.accept("== " + describe(load) + ": bringing up " + BenchLab.PREFIX + "1 (" + BenchLab.MEMORY_MIB + " MiB)");
            LabVmStatus vm = lab.up(load.dirtyMiBps());
            vmName = vm.name();
            accel = vm.accel();
            Path qmp = Path.of(vm.qmp());
            double dirtyBefore = settle(load, qmp);
            Map<SnapshotMode, List<Sample>> samples = runs(load, vm, store, failures);
            double dirtyAfter = DirtyRate.measure(qmp, 1, timeouts).orElse(Double.NaN);
            progress.accept(String.format("%s: guest dirtying rate after the runs %.1f MiB/s", load.name(), dirtyAfter));
            lab.down();
            for (SnapshotMode mode : options.modes()) {
                results.add(result(mode, load, samples.get(mode), List.of(dirtyBefore, dirtyAfter), failures));
            }
        }
        fsWrite.add(fsWrite(root, "after the runs"));
        hostLoad.add(loadAverage());
        return new BenchReport(options.runs(), options.warmupRuns(), BenchLab.MEMORY_MIB, vmName, accel, options.diskMode().cliName(),
                hostLoad, root.toString(), fsWrite, Stats.median(fsWrite), FULL_FROM, withRatios(results), failures);
    }

    /** The guest's dirtying rate once its load has started (the dirty guest needs a while to make its random seed). */
    private double settle(Load load, Path qmp) {
        OptionalDouble rate = DirtyRate.measure(qmp, 1, timeouts);
        if (load.dirtyMiBps() > 0) {
            long deadline = System.nanoTime() + DIRTY_SETTLE_SECONDS * 1_000_000_000L;
            while ((rate.isEmpty() || rate.getAsDouble() < load.dirtyMiBps() / 2.0) && System.nanoTime() < deadline) {
                progress.accept(String.format("%s: waiting for the guest's dirtying load to start (measured %s MiB/s)", load.name(),
                        rate.isPresent() ? String.format("%.1f", rate.getAsDouble()) : "?"));
                sleep(2000);
                rate = DirtyRate.measure(qmp, 1, timeouts);
            }
            if (rate.isPresent() && rate.getAsDouble() < load.dirtyMiBps() / 2.0) {
                progress.accept(String.format("%s: the guest dirties only %.1f MiB/s of the %d asked; measuring anyway", load.name(),
                        rate.getAsDouble(), load.dirtyMiBps()));
            }
            rate = DirtyRate.measure(qmp, 1, timeouts);
        }
        double r = rate.orElse(Double.NaN);
        progress.accept(String.format("%s: guest dirtying rate %.1f MiB/s (QEMU calc-dirty-rate)", load.name(), r));
        return r;
    }

    private Map<SnapshotMode, List<Sample>> runs(Load load, LabVmStatus labVm, SnapshotStore store, List<BenchReport.Failure> failures) {
        String vm = labVm.name();
        LocalSnapshots snapshots = new LocalSnapshots(BenchLab.config(load.dirtyMiBps()).socketDir(), store, timeouts);
        Map<SnapshotMode, List<Sample>> samples = new EnumMap<>(SnapshotMode.class);
        options.modes().forEach(m -> samples.put(m, new ArrayList<>()));
        int consecutiveFailures = 0;
        int rounds = options.warmupRuns() + options.runs();
        for (int round = 1; round <= rounds; round++) {
            boolean warmup = round <= options.warmupRuns();
            int run = round - options.warmupRuns();
            String label = warmup ? load.name() + " warm-up " + round : load.name() + " run " + run + "/" + options.runs();
            for (SnapshotMode mode : options.modes()) {
                try {
                    Sample s = once(snapshots, store, vm, mode, !warmup && options.keep());
                    consecutiveFailures = 0;
                    progress.accept(String.format("%-16s %-8s downtime %9.3f ms   full %8.1f ms   %7.1f MB/s   image %5.1f MiB%s",
                            label, mode.cliName(), s.downtimeMs(), s.fullMs(), s.throughputMBps(), s.memoryImageMiB(),
                            warmup ? "   (not counted)" : ""));
                    if (!warmup) {
                        samples.get(mode).add(s);
                    }
                } catch (RuntimeException e) {
                    consecutiveFailures++;
                    progress.accept(String.format("%-16s %-8s FAILED: %s", label, mode.cliName(), e.getMessage()));
                    if (!warmup) {
                        failures.add(new BenchReport.Failure(mode.cliName(), load.name(), run, String.valueOf(e.getMessage())));
                    }
                    String state = lab.vmState();
                    if (!state.equals("running")) {
                        throw new BenchException(vm + " is " + state + " after a failed " + mode.cliName() + " snapshot ("
                                + e.getMessage() + "); the benchmark stops");
                    }
                    // QEMU can say "running" of a guest that is frozen (a background snapshot that broke
                    // off can leave its memory write-protected): the guest's own ticks tell.
                    if (!guestTicks(Path.of(labVm.serialLog()))) {
                        throw new BenchException(vm + "'s guest is frozen (no new tick in its serial log for " + TICK_PATIENCE_SECONDS
                                + " s) though QEMU says it runs, after a failed " + mode.cliName() + " snapshot (" + e.getMessage()
                                + "); the benchmark stops");
                    }
                    if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
                        throw new BenchException(consecutiveFailures + " snapshots in a row failed, the last one: " + e.getMessage());
                    }
                }
            }
        }
        return samples;
    }

    /** Whether the lab guest prints a new tick (it prints one every 100 ms while it runs) within the patience. */
    private static boolean guestTicks(Path serialLog) {
        long before = SerialLog.lastTick(serialLog).orElse(-1);
        long deadline = System.nanoTime() + TICK_PATIENCE_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (SerialLog.lastTick(serialLog).orElse(-1) > before) {
                return true;
            }
            sleep(200);
        }
        return false;
    }

    /** One snapshot, measured; deleted afterwards unless kept. */
    private Sample once(LocalSnapshots snapshots, SnapshotStore store, String vm, SnapshotMode mode, boolean keep) {
        // The first sign of the snapshot: its STOP, or (precopy) the first progress report of the live copy.
        AtomicLong firstEvent = new AtomicLong(Long.MAX_VALUE);
        Consumer<SnapshotEvent> events = e -> firstEvent.accumulateAndGet(
                e instanceof SnapshotEvent.Phase p ? p.atMicros() : nowMicros(), Math::min);
        Manifest manifest = snapshots.take(List.of(vm), mode, options.diskMode(), events);
        try {
            VmPart part = manifest.vms().get(0);
            long start = Math.min(part.stopAt(), firstEvent.get());
            double fullMs = (part.fullDoneAt() - start) / 1000.0;
            long bytes = part.memory().bytes();
            return new Sample(part.downtimeMs(), fullMs, round(FsWriteSpeed.throughputMBps(bytes, fullMs), 2), round(bytes / 1048576.0, 2));
        } finally {
            if (!keep) {
                try {
                    store.delete(manifest.id());
                } catch (IOException e) {
                    progress.accept("cannot delete snapshot " + manifest.id() + ": " + e.getMessage());
                }
            }
        }
    }

    private BenchReport.Result result(SnapshotMode mode, Load load, List<Sample> samples, List<Double> dirtyRates,
                                      List<BenchReport.Failure> failures) {
        List<Double> measured = dirtyRates.stream().filter(d -> !d.isNaN()).toList();
        int failed = (int) failures.stream().filter(f -> f.mode().equals(mode.cliName()) && f.load().equals(load.name())).count();
        return new BenchReport.Result(mode.cliName(), load.name(), load.dirtyMiBps(),
                measured.isEmpty() ? null : round(Stats.median(measured), 1),
                Stats.of(samples.stream().map(Sample::downtimeMs).toList()),
                Stats.of(samples.stream().map(Sample::fullMs).toList()),
                Stats.of(samples.stream().map(Sample::throughputMBps).toList()),
                Stats.of(samples.stream().map(Sample::memoryImageMiB).toList()),
                null, failed);
    }

    /** Each result's median downtime over hotsnap's under the same load (none without hotsnap). */
    static List<BenchReport.Result> withRatios(List<BenchReport.Result> results) {
        List<BenchReport.Result> out = new ArrayList<>();
        for (BenchReport.Result r : results) {
            Double base = results.stream()
                    .filter(h -> h.mode().equals(SnapshotMode.HOTSNAP.cliName()) && h.load().equals(r.load()))
                    .findFirst().map(h -> h.downtimeMs().median()).orElse(null);
            Double ratio = base == null || base <= 0 || r.downtimeMs().median() == null ? null : round(r.downtimeMs().median() / base, 2);
            out.add(new BenchReport.Result(r.mode(), r.load(), r.dirtyMiBps(), r.measuredDirtyMiBps(), r.downtimeMs(), r.fullMs(),
                    r.throughputMBps(), r.memoryImageMiB(), ratio, r.failed()));
        }
        return out;
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

    /** The host's 1-minute load average: how noisy the machine was (a busy host stretches every pause). */
    private static double loadAverage() {
        return round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }

    private String describe(Load load) {
        return load.dirtyMiBps() == 0 ? load.name() : load.name() + " (" + load.dirtyMiBps() + " MiB/s)";
    }

    private static Path temporaryStore() {
        try {
            return Files.createTempDirectory(Path.of("/var/tmp"), "hotsnap-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary snapshot store in /var/tmp: " + e.getMessage(), e);
        }
    }

    /** A temporary store goes entirely (unless snapshots are kept); a given one keeps whatever it had. */
    private void cleanUp(Path root, boolean temporary) {
        if (!temporary) {
            return;
        }
        if (options.keep()) {
            progress.accept("kept snapshots in " + root);
            return;
        }
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            progress.accept("cannot remove the temporary store " + root + ": " + e.getMessage());
        }
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }
}
