package io.hotsnap.bench;

import io.hotsnap.agent.HostVmSources;
import io.hotsnap.host.HostPaths;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.lab.GuestImage;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.libvirt.DomainPauses;
import io.hotsnap.libvirt.LibvirtSource;
import io.hotsnap.libvirt.Virsh;
import io.hotsnap.libvirt.VirshException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.LocalSnapshots;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotMode;
import io.hotsnap.snapshot.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * {@code hotsnap bench --peer libvirt}: on one transient libvirt domain (the lab guest), our hot
 * snapshot through the libvirt VM source next to libvirt's own external snapshots with and without
 * {@code --live}, in interleaved order (run 1 of each method, then run 2 …), on the idle guest and
 * then on a freshly booted one running the dirtying load. Every method's pause comes from the same
 * source, QEMU's STOP and RESUME events through libvirt; each libvirt snapshot is undone before the
 * next run. The domain is destroyed at the end, also on failure and on Ctrl-C.
 */
public final class LibvirtPeerBench {

    private static final int MAX_CONSECUTIVE_FAILURES = 3;
    private static final int DIRTY_SETTLE_SECONDS = 120;
    private static final Path UFFD = Path.of("/proc/sys/vm/unprivileged_userfaultfd");

    private final LibvirtPeerOptions options;
    private final Timeouts timeouts;
    private final Consumer<String> progress;
    private final Virsh virsh = Virsh.session(LibvirtSource.SYSTEM);
    private final PeerDomain domain;

    /** One run's figures. */
    private record Sample(double pauseMs, double pauses, double longestPauseMs, double totalMs) {
    }

    public LibvirtPeerBench(LibvirtPeerOptions options, Timeouts timeouts, Consumer<String> progress) {
        this.options = options;
        this.timeouts = timeouts;
        this.progress = progress;
        this.domain = new PeerDomain(virsh, timeouts.qmpCommand());
    }

    public LibvirtPeerReport run() {
        GuestImage image = preconditions();
        Path root = Benchmark.temporaryStore();
        Thread hook = new Thread(() -> {
            progress.accept("bench interrupted: destroying " + PeerDomain.NAME);
            domain.destroy();
        }, "hotsnap-peer-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<Double> load = new ArrayList<>(List.of(HostLoad.oneMinute()));
            List<LibvirtPeerReport.Load> loads = new ArrayList<>();
            List<LibvirtPeerReport.Failure> failures = new ArrayList<>();
            for (int dirty : options.loads()) {
                progress.accept(String.format("== %s: booting %s (%d MiB)", dirty == 0 ? "idle guest" : "guest dirtying " + dirty + " MiB/s",
                        PeerDomain.NAME, options.memoryMiB()));
                domain.start(image, options.memoryMiB(), dirty);
                Double measured = settle(dirty);
                Map<PeerMethod, List<Sample>> samples = runs(dirty, new SnapshotStore(root), failures);
                domain.destroy();
                loads.add(new LibvirtPeerReport.Load(dirty, measured, results(dirty, samples, failures)));
            }
            load.add(HostLoad.oneMinute());
            return new LibvirtPeerReport(options.runs(), options.warmupRuns(), PeerDomain.NAME, options.memoryMiB(), load, loads, failures);
        } finally {
            domain.destroy();
            try {
                PrivateFiles.deleteTree(root);
            } catch (IOException e) {
                progress.accept("cannot remove the temporary store " + root + ": " + e.getMessage());
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (and finds nothing left to do)
            }
        }
    }

    /** What the bench needs before it boots anything, each missing piece one line. */
    private GuestImage preconditions() {
        if (!Virsh.installed()) {
            throw new BenchException("--peer libvirt needs libvirt: virsh is not installed");
        }
        try {
            virsh.run(List.of("version"), timeouts.qmpCommand());
        } catch (VirshException e) {
            throw new BenchException("libvirt (" + LibvirtSource.SYSTEM + ") does not answer: " + e.getMessage());
        }
        try {
            if (Files.readString(UFFD).strip().equals("0")) {
                throw new BenchException("vm.unprivileged_userfaultfd is 0: libvirt's unprivileged QEMU cannot take our hot snapshot;"
                        + " run 'sysctl vm.unprivileged_userfaultfd=1' first");
            }
        } catch (IOException e) {
            // an older kernel without the sysctl lets every process use userfaultfd
        }
        return GuestImage.cached(LabConfig.defaults().guestCache())
                .orElseThrow(() -> new BenchException("no lab guest image: build it with 'hotsnap lab guest'"));
    }

    /** libvirt's estimate of the guest's dirtying rate once its load has started; null if libvirt cannot tell. */
    private Double settle(int dirty) {
        Double rate = dirtyRate();
        long deadline = System.nanoTime() + DIRTY_SETTLE_SECONDS * 1_000_000_000L;
        while (dirty > 0 && (rate == null || rate < dirty / 2.0) && System.nanoTime() < deadline) {
            progress.accept("waiting for the guest's dirtying load to start (measured " + BenchTable.fmt(rate, 1) + " MiB/s)");
            Benchmark.sleep(2000);
            rate = dirtyRate();
        }
        progress.accept("guest dirtying rate " + BenchTable.fmt(rate, 1) + " MiB/s (virsh domdirtyrate-calc)");
        return rate;
    }

    private Double dirtyRate() {
        try {
            virsh.run(List.of("domdirtyrate-calc", PeerDomain.NAME, "--seconds", "1"), timeouts.qmpCommand());
            for (int i = 0; i < 20; i++) {
                Benchmark.sleep(250);
                String stats = virsh.run(List.of("domstats", PeerDomain.NAME, "--dirtyrate"), timeouts.qmpCommand());
                if (stats.contains("dirtyrate.calc_status=2")) {
                    return stats.lines().map(String::strip).filter(l -> l.startsWith("dirtyrate.megabytes_per_second="))
                            .map(l -> Double.valueOf(l.substring(l.indexOf('=') + 1))).findFirst().orElse(null);
                }
            }
        } catch (VirshException | NumberFormatException e) {
            progress.accept("cannot measure the dirtying rate: " + e.getMessage());
        }
        return null;
    }

    private Map<PeerMethod, List<Sample>> runs(int dirty, SnapshotStore store, List<LibvirtPeerReport.Failure> failures) {
        Map<PeerMethod, List<Sample>> samples = new EnumMap<>(PeerMethod.class);
        for (PeerMethod m : PeerMethod.values()) {
            samples.put(m, new ArrayList<>());
        }
        LibvirtExternalSnapshot theirs = new LibvirtExternalSnapshot(virsh, PeerDomain.NAME, PeerDomain.disk(), timeouts.qmpCommand());
        LocalSnapshots ours = new LocalSnapshots(HostVmSources.of(HostPaths.socketDir(), timeouts), store, timeouts);
        int consecutiveFailures = 0;
        try (DomainPauses pauses = DomainPauses.watch(LibvirtSource.SYSTEM, PeerDomain.NAME)) {
            for (int round = 1; round <= options.warmupRuns() + options.runs(); round++) {
                boolean warmup = round <= options.warmupRuns();
                int run = round - options.warmupRuns();
                String label = warmup ? "warm-up " + round : "run " + run + "/" + options.runs();
                for (PeerMethod method : PeerMethod.values()) {
                    try {
                        Sample s = once(method, pauses, ours, store, theirs);
                        consecutiveFailures = 0;
                        progress.accept(String.format("%-11s %-15s pause %8.1f ms (%1.0f, longest %7.1f ms)  total %7.0f ms%s", label,
                                method.label(), s.pauseMs(), s.pauses(), s.longestPauseMs(), s.totalMs(), warmup ? "  (not counted)" : ""));
                        if (!warmup) {
                            samples.get(method).add(s);
                        }
                    } catch (RuntimeException e) {
                        consecutiveFailures++;
                        progress.accept(String.format("%-11s %-15s FAILED: %s", label, method.label(), e.getMessage()));
                        if (!warmup) {
                            failures.add(new LibvirtPeerReport.Failure(method.label(), dirty, run, String.valueOf(e.getMessage())));
                        }
                        recover(theirs, e);
                        if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
                            throw new BenchException(consecutiveFailures + " snapshots in a row failed, the last one: " + e.getMessage());
                        }
                    }
                }
            }
        }
        return samples;
    }

    /** One snapshot by one method, measured from QEMU's events; undone afterwards. */
    private Sample once(PeerMethod method, DomainPauses pauses, LocalSnapshots ours, SnapshotStore store, LibvirtExternalSnapshot theirs) {
        long since = DomainPauses.nowMicros();
        long start = System.nanoTime();
        Manifest manifest = null;
        switch (method) {
            case HOTSNAP -> manifest = ours.take(List.of(PeerDomain.NAME), SnapshotMode.HOTSNAP, DiskMode.COPY, e -> { });
            case LIBVIRT_LIVE -> theirs.take(true);
            case LIBVIRT -> theirs.take(false);
        }
        double totalMs = (System.nanoTime() - start) / 1e6;
        DomainPauses.Paused paused = paused(pauses, since);
        if (manifest != null) {
            delete(store, manifest.id());
        } else {
            theirs.undo();
        }
        if (theirs.count() != 0) {
            throw new IllegalStateException("libvirt still keeps a snapshot of " + PeerDomain.NAME + " after undoing it");
        }
        if (!domain.state().equals("running")) {
            throw new IllegalStateException(PeerDomain.NAME + " is " + domain.state() + " after the snapshot");
        }
        return new Sample(paused.totalMs(), paused.count(), paused.longestMs(), totalMs);
    }

    /** The snapshot's pauses, once QEMU has reported at least one and the guest runs again (events lag the command a little). */
    private static DomainPauses.Paused paused(DomainPauses pauses, long since) {
        long deadline = System.nanoTime() + Waits.LIBVIRT_EVENT_PATIENCE.toNanos();
        DomainPauses.Paused p = pauses.since(since, Waits.LIBVIRT_EVENT_PATIENCE);
        while (p.count() == 0 && System.nanoTime() < deadline) {
            Benchmark.sleep(20);
            p = pauses.since(since, Waits.LIBVIRT_EVENT_PATIENCE);
        }
        if (p.count() == 0) {
            throw new IllegalStateException("QEMU reported no pause (no STOP/RESUME event through libvirt)");
        }
        Benchmark.sleep(Waits.LIBVIRT_EVENT_GRACE.toMillis());
        return pauses.since(since, Waits.LIBVIRT_EVENT_PATIENCE);
    }

    private void delete(SnapshotStore store, String id) {
        try {
            store.delete(id);
        } catch (IOException e) {
            progress.accept("cannot delete snapshot " + id + ": " + e.getMessage());
        }
    }

    /** After a failed run: libvirt's snapshot undone, the domain running and its guest ticking, or the bench stops. */
    private void recover(LibvirtExternalSnapshot theirs, RuntimeException cause) {
        try {
            domain.ensureRunning();
            theirs.undo();
        } catch (VirshException e) {
            throw new BenchException("cannot undo after a failed snapshot (" + cause.getMessage() + "): " + e.getMessage());
        }
        if (!Benchmark.guestTicks(PeerDomain.serialLog())) {
            throw new BenchException(PeerDomain.NAME + "'s guest is frozen after a failed snapshot (" + cause.getMessage() + "); the bench stops");
        }
    }

    private List<LibvirtPeerReport.Result> results(int dirty, Map<PeerMethod, List<Sample>> samples, List<LibvirtPeerReport.Failure> failures) {
        Double ours = stats(samples.get(PeerMethod.HOTSNAP), Sample::pauseMs).median();
        List<LibvirtPeerReport.Result> out = new ArrayList<>();
        for (PeerMethod m : PeerMethod.values()) {
            List<Sample> s = samples.get(m);
            Stats pause = stats(s, Sample::pauseMs);
            int failed = (int) failures.stream().filter(f -> f.method().equals(m.label()) && f.dirtyMiBps() == dirty).count();
            out.add(new LibvirtPeerReport.Result(m.label(), pause, stats(s, Sample::pauses), stats(s, Sample::longestPauseMs),
                    stats(s, Sample::totalMs), Benchmark.ratio(pause.median(), ours), failed));
        }
        return out;
    }

    private static Stats stats(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return Stats.of(samples.stream().mapToDouble(f).map(v -> Benchmark.round(v, 3)).boxed().toList());
    }
}
