package io.hotsnap.agent;

import io.hotsnap.host.HostClock;
import io.hotsnap.host.HostCommandException;
import io.hotsnap.net.CutDrop;
import io.hotsnap.net.TrafficResult;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.Coverage;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.settings.AgentBounds;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.SnapshotEvent;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.snapshot.VmSnapshotJob;
import io.hotsnap.vm.VmSources;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's share of one cluster snapshot (DESIGN §4): the prepared VM jobs and whatever the
 * mode adds around them. Each VM is covered by hold or by barrier (a {@link Coverage}: hold mode
 * holds all, barrier mode pauses all, auto mode holds those whose traffic the hold can see and
 * pauses the others). {@link #hold} is the cut's barrier step: holds on, barrier-covered VMs
 * paused; in the other modes it only acknowledges.
 * {@link #snapshot} takes every VM's transient snapshot at once (each VM's hold released right
 * after its own; in the baselines, drops switched per VM at its snapshot point); the full copies
 * go on in the background and end in DONE or ERROR. Traffic is captured from prepare until the
 * coordinator asks for it.
 */
final class AgentSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(AgentSnapshot.class);

    /**
     * The filter's own flush interval: QEMU's last-resort bound on a hold if this agent dies
     * (the explicit deadline timer is the first). Long enough never to cut a normal hold short.
     */
    static final Duration FILTER_INTERVAL = Duration.ofSeconds(30);
    /**
     * How long the capture runs on after the last transient snapshot: long enough to see TCP
     * recover from a backoff of a few retransmission timeouts (200, 400, 800 ms …).
     */
    static final Duration CAPTURE_TAIL = Duration.ofSeconds(2);

    private final String id;
    private final ClusterMode mode;
    private final long staggerMillis;
    private final SnapshotStore store;
    private final AgentEventSink sink;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final List<VmShare> shares = new ArrayList<>();
    private final Map<String, String> macs = new LinkedHashMap<>();
    private ScheduledFuture<?> deadline;
    private volatile boolean aborted;
    private volatile CutDrop drop;
    private CaptureSession capture = CaptureSession.none();
    private volatile long snapshotEndedAt;
    private SnapshotStore.WorkLock lock;

    private AgentSnapshot(String id, ClusterMode mode, long staggerMillis, SnapshotStore store, AgentEventSink sink, ExecutorService workers,
                          ScheduledExecutorService timer) {
        this.id = id;
        this.mode = mode;
        this.staggerMillis = staggerMillis;
        this.store = store;
        this.sink = sink;
        this.workers = workers;
        this.timer = timer;
    }

    String id() {
        return id;
    }

    SnapshotStore store() {
        return store;
    }

    /** What one prepared snapshot is asked to do. */
    record Plan(String id, ClusterMode mode, List<String> vms, long staggerMillis, boolean capture, DiskMode disk) {
    }

    /**
     * Checks every VM exists and can take part in the mode before touching anything, then starts
     * the capture, installs the baselines' drops, prepares each job and installs its holds. On any
     * failure everything done so far is undone.
     */
    static AgentSnapshot prepare(Plan plan, VmSources sources, SnapshotStore store, Timeouts timeouts, AgentEventSink sink,
                                 ExecutorService workers, ScheduledExecutorService timer) {
        CutVms vms = CutVms.find(plan.vms(), plan.mode(), sources, timeouts);
        AgentSnapshot snapshot = new AgentSnapshot(plan.id(), plan.mode(), plan.staggerMillis(), store, sink, workers, timer);
        try {
            snapshot.lock = store.lock(plan.id());
            snapshot.macs.putAll(vms.macs());
            if (plan.capture()) {
                snapshot.capture = CaptureSession.start("Snapshot " + plan.id(), vms::taps, "no VM has a tap NIC to capture on");
            }
            if (plan.mode().dropsAcrossCut()) {
                snapshot.drop = CutDrop.install(plan.id(), snapshot.macs.values());
            }
            for (String vm : plan.vms()) {
                VmSnapshotJob job = new VmSnapshotJob(vm, vms.ref(vm).endpoint(), store, plan.id(), plan.mode().vmMode(),
                        plan.disk(), timeouts, snapshot::forward);
                VmShare share = new VmShare(job);
                snapshot.shares.add(share);
                job.prepare();
                Optional<Coverage> coverage = vms.coverage(vm);
                if (coverage.isPresent() && !coverage.get().isBarrier()) {
                    coverage = Optional.of(share.installHolds(vms.netdevs(vm), timeouts.qmpCommand(), FILTER_INTERVAL,
                            plan.mode() == ClusterMode.AUTO));
                }
                coverage.ifPresent(c -> {
                    share.cover(c);
                    sink.emit(EventKind.COVERED, vm, HostClock.wallMicros(), c);
                });
            }
            return snapshot;
        } catch (IOException | RuntimeException e) {
            snapshot.abort("prepare failed: " + e.getMessage());
            throw e instanceof RuntimeException r ? r : new SnapshotException(SnapshotException.Kind.FAILED, e.getMessage(), e);
        }
    }

    /**
     * The cut's barrier step, acknowledged only once done on every VM: each VM covered by hold has
     * its hold on, under the deadline timer (past it the agent releases whatever the coordinator
     * does); each VM covered by barrier is paused, guarded by {@code pauseDeadline}. Hold mode
     * holds every VM, barrier mode pauses every VM, auto mode does each to its own VMs.
     */
    void hold(Duration holdDeadline, Duration pauseDeadline) {
        refuseBeyondCap(pauseDeadline, AgentBounds.MAX_BARRIER_PAUSE, "barrier pause", shares.stream().anyMatch(VmShare::pausedForCut));
        refuseBeyondCap(holdDeadline, AgentBounds.MAX_HOLD, "hold", true);
        checkNotAborted();
        if (shares.stream().anyMatch(VmShare::heldForCut)) {
            synchronized (this) {
                deadline = timer.schedule(() -> releaseAll("deadline"), holdDeadline.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        // In parallel: each VM has its own monitor, and a busy one must not delay the others.
        each(share -> {
            if (share.heldForCut()) {
                share.holdOn();
                sink.emit(EventKind.HOLD_ON, share.vm(), HostClock.wallMicros(), null);
            } else if (share.pausedForCut()) {
                share.job().pause(pauseDeadline);
            }
        });
    }

    /**
     * The agent, not the request, bounds how long VMs may stay deaf or stopped: a deadline past the
     * cap is refused before anything changes (not clamped: a coordinator asking for a day has a bug
     * worth seeing).
     */
    private static void refuseBeyondCap(Duration asked, Duration cap, String what, boolean applies) {
        if (applies && asked.compareTo(cap) > 0) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "a " + what + " deadline of " + asked.toMillis()
                    + " ms is refused: this agent allows at most " + cap.toMillis() + " ms");
        }
    }

    /**
     * Every VM's transient snapshot at once, one thread each (the i-th after i × stagger); returns
     * when all are done. The full copies go on and report DONE or ERROR.
     */
    void snapshot() {
        checkNotAborted();
        List<CompletableFuture<Void>> transients = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            VmShare share = shares.get(i);
            long delay = i * staggerMillis;
            CompletableFuture<Void> t = CompletableFuture.runAsync(() -> {
                try {
                    sleep(delay);
                    share.job().transientSnapshot();
                } finally {
                    release(share, "snapshot");
                }
            }, workers);
            transients.add(t);
            t.thenRunAsync(() -> full(share), workers);
        }
        try {
            CompletableFuture.allOf(transients.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            cancelDeadline();
            closeDrop();
            snapshotEndedAt = HostClock.wallMicros();
        }
    }

    private void each(java.util.function.Consumer<VmShare> action) {
        List<CompletableFuture<Void>> all = shares.stream().map(s -> CompletableFuture.runAsync(() -> action.accept(s), workers)).toList();
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void full(VmShare share) {
        try {
            VmPart part = share.job().fullSnapshot();
            share.removeHolds();
            share.job().close();
            sink.emit(EventKind.DONE, share.vm(), HostClock.wallMicros(), Map.of("part", part));
        } catch (RuntimeException | Error e) {
            // Errors too (a class that failed to load): a copy that dies unreported would leave
            // the coordinator waiting for its part until the full snapshot's timeout.
            if (!aborted) {
                sink.emit(EventKind.ERROR, share.vm(), HostClock.wallMicros(), Map.of("message", String.valueOf(e.getMessage())));
            }
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** Releases the holds of {@code vms} (null: all). */
    void release(List<String> vms, String reason) {
        for (VmShare share : shares) {
            if (vms == null || vms.contains(share.vm())) {
                release(share, reason);
            }
        }
    }

    private void releaseAll(String reason) {
        if (!shares.isEmpty()) {
            LOG.info("Snapshot {}: releasing every hold ({})", id, reason);
        }
        release((List<String>) null, reason);
    }

    private void release(VmShare share, String reason) {
        OptionalLong releasedAt = share.holdOff();
        if (releasedAt.isPresent()) {
            sink.emit(EventKind.HOLD_OFF, share.vm(), releasedAt.getAsLong(), Map.of("reason", reason));
        }
    }

    /**
     * Stops the capture once {@link #CAPTURE_TAIL} has passed since the last transient snapshot and
     * returns its frames from {@code fromMicros} on (a precopy's live rounds run for minutes, and
     * only the cut matters); the files are deleted. Asked for once.
     */
    TrafficResult traffic(long fromMicros) {
        return capture.frames(snapshotEndedAt + CAPTURE_TAIL.toNanos() / 1000, fromMicros);
    }

    /** Holds off and removed, drops gone, every job aborted (VM running, files gone), the directory deleted. Never throws. */
    void abort(String reason) {
        aborted = true;
        cancelDeadline();
        closeDrop();
        for (VmShare share : shares) {
            release(share, "abort");
            share.removeHolds();
            share.job().abort(reason);
            share.job().close();
        }
        discardCapture();
        try {
            store.delete(id);
        } catch (IOException e) {
            // Without a manifest it is no snapshot; say where it lies.
            LOG.warn("cannot remove {}: {}", store.dir(id), e.getMessage());
        }
        unlock();
    }

    /** Committed or aborted: nobody works on the directory any more. */
    synchronized void unlock() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.debug("closing the lock of {}: {}", id, e.getMessage());
            }
            lock = null;
        }
    }

    void discardCapture() {
        capture.discard();
    }

    private synchronized void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private void closeDrop() {
        CutDrop d = drop;
        drop = null;
        if (d != null) {
            d.close();
        }
    }

    private void checkNotAborted() {
        if (aborted) {
            throw new IllegalStateException("snapshot " + id + " was aborted");
        }
    }

    /** The job's own events, as protocol events with QEMU's µs for STOP and RESUME; a STOP also moves the baselines' drop. */
    private void forward(SnapshotEvent event) {
        if (event instanceof SnapshotEvent.Phase p) {
            switch (p.phase()) {
                case STOP -> {
                    passed(p.vm());
                    sink.emit(EventKind.STOP, p.vm(), p.atMicros(), null);
                }
                case RESUME -> sink.emit(EventKind.RESUME, p.vm(), p.atMicros(), null);
                case TRANSIENT_DONE, FULL_DONE -> sink.emit(EventKind.PROGRESS, p.vm(), p.atMicros(), Map.of("phase", p.phase()));
            }
        } else if (event instanceof SnapshotEvent.Progress p) {
            sink.emit(EventKind.PROGRESS, p.vm(), HostClock.wallMicros(),
                    Map.of("memoryDone", p.memoryDone(), "memoryTotal", p.memoryTotal(), "bytesPerSecond", p.bytesPerSecond()));
        }
    }

    private void passed(String vm) {
        CutDrop d = drop;
        String mac = macs.get(vm);
        if (d != null && mac != null) {
            try {
                d.passed(mac);
            } catch (HostCommandException e) {
                LOG.warn("Snapshot {}: cannot drop {}'s frames past its point: {}", id, vm, e.getMessage());
            }
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
