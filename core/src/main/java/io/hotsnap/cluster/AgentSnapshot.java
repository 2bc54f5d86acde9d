package io.hotsnap.cluster;

import io.hotsnap.net.InboundHold;
import io.hotsnap.protocol.AgentEventSink;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.HostClock;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.PrivateFiles;
import io.hotsnap.snapshot.SnapshotEvent;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotMode;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.snapshot.VmSnapshotJob;
import io.hotsnap.vm.NicInfo;
import io.hotsnap.vm.VmInfo;
import io.hotsnap.vm.VmInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's share of one cluster snapshot in {@code hold} mode (DESIGN §4): the prepared VM
 * jobs with their installed (switched off) holds; {@link #hold} switches every hold on;
 * {@link #snapshot} pauses every VM at once and releases each VM's hold right after its own
 * transient snapshot, then the full copies go on in the background and end in DONE or ERROR.
 */
final class AgentSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(AgentSnapshot.class);

    /**
     * The filter's own flush interval: QEMU's last-resort bound on a hold if this agent dies
     * (the explicit deadline timer is the first). Long enough never to cut a normal hold short.
     */
    static final Duration FILTER_INTERVAL = Duration.ofSeconds(30);

    private final String id;
    private final SnapshotStore store;
    private final AgentEventSink sink;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final List<VmShare> shares = new ArrayList<>();
    private ScheduledFuture<?> deadline;
    private volatile boolean aborted;

    private AgentSnapshot(String id, SnapshotStore store, AgentEventSink sink, ExecutorService workers, ScheduledExecutorService timer) {
        this.id = id;
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

    /**
     * Checks every VM exists and has a NIC the hold can see before touching anything, then prepares
     * each job and installs its holds. On any failure everything done so far is undone.
     */
    static AgentSnapshot prepare(String id, List<String> vms, Path socketDir, SnapshotStore store, DiskMode disk, Timeouts timeouts,
                                 AgentEventSink sink, ExecutorService workers, ScheduledExecutorService timer) {
        Map<String, List<String>> netdevs = new java.util.LinkedHashMap<>();
        VmInventory inventory = new VmInventory(socketDir, timeouts);
        for (String vm : vms) {
            Path socket = socketDir.resolve(vm + ".qmp");
            if (!Files.exists(socket)) {
                throw new SnapshotException(SnapshotException.Kind.REFUSED, "unknown VM '" + vm + "' on this host (no " + socket + ")");
            }
            // Before the job connects: the QMP socket serves one client at a time.
            netdevs.put(vm, heldNetdevs(inventory.describe(socket)));
        }
        AgentSnapshot snapshot = new AgentSnapshot(id, store, sink, workers, timer);
        try {
            PrivateFiles.createDirectories(store.dir(id));
            for (String vm : vms) {
                VmSnapshotJob job = new VmSnapshotJob(vm, socketDir.resolve(vm + ".qmp"), store, id, SnapshotMode.HOTSNAP, disk,
                        timeouts, snapshot::forward);
                VmShare share = new VmShare(job);
                snapshot.shares.add(share);
                job.prepare();
                for (String netdev : netdevs.get(vm)) {
                    InboundHold hold = new InboundHold(job.qmp(), netdev, timeouts.qmpCommand());
                    hold.install(FILTER_INTERVAL);
                    share.addHold(hold);
                }
            }
            return snapshot;
        } catch (IOException | RuntimeException e) {
            snapshot.abort("prepare failed: " + e.getMessage());
            throw e instanceof RuntimeException r ? r : new SnapshotException(SnapshotException.Kind.FAILED, e.getMessage(), e);
        }
    }

    /** The netdevs to hold; a vhost-net NIC is refused up front, since the hold would not see its packets. */
    private static List<String> heldNetdevs(VmInfo info) {
        if (info.error() != null) {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, info.name() + ": " + info.error());
        }
        List<String> ids = new ArrayList<>();
        for (NicInfo nic : info.nics()) {
            if (nic.vhost()) {
                throw new SnapshotException(SnapshotException.Kind.REFUSED, info.name() + ": NIC " + nic.id()
                        + " uses vhost-net, which bypasses QEMU's net filters: the hold cannot see its traffic (use barrier mode)");
            }
            if (nic.netdev() != null && !nic.netdev().isBlank() && !ids.contains(nic.netdev())) {
                ids.add(nic.netdev());
            }
        }
        return ids;
    }

    /** Every hold on, then the deadline timer armed: past it the agent releases whatever the coordinator does. */
    synchronized void hold(Duration holdDeadline) {
        checkNotAborted();
        deadline = timer.schedule(() -> releaseAll("deadline"), holdDeadline.toMillis(), TimeUnit.MILLISECONDS);
        for (VmShare share : shares) {
            share.holdOn();
            sink.emit(EventKind.HOLD_ON, share.vm(), HostClock.wallMicros(), null);
        }
    }

    /**
     * Every VM's transient snapshot at once, one thread each; returns when all are done (each hold
     * released right after its own VM's). The full copies go on and report DONE or ERROR.
     */
    void snapshot() {
        checkNotAborted();
        List<CompletableFuture<Void>> transients = new ArrayList<>();
        for (VmShare share : shares) {
            CompletableFuture<Void> t = CompletableFuture.runAsync(() -> {
                try {
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
        }
    }

    private void full(VmShare share) {
        try {
            VmPart part = share.job().fullSnapshot();
            share.removeHolds();
            share.job().close();
            sink.emit(EventKind.DONE, share.vm(), HostClock.wallMicros(), Map.of("part", part));
        } catch (RuntimeException e) {
            if (!aborted) {
                sink.emit(EventKind.ERROR, share.vm(), HostClock.wallMicros(), Map.of("message", String.valueOf(e.getMessage())));
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
        if (share.holdOff()) {
            sink.emit(EventKind.HOLD_OFF, share.vm(), HostClock.wallMicros(), Map.of("reason", reason));
        }
    }

    /** Holds off and removed, every job aborted (VM running, files gone), the snapshot's directory deleted. Never throws. */
    void abort(String reason) {
        aborted = true;
        cancelDeadline();
        for (VmShare share : shares) {
            release(share, "abort");
            share.removeHolds();
            share.job().abort(reason);
            share.job().close();
        }
        try {
            store.delete(id);
        } catch (IOException e) {
            // Without a manifest it is no snapshot; say where it lies.
            LOG.warn("cannot remove {}: {}", store.dir(id), e.getMessage());
        }
    }

    private synchronized void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private void checkNotAborted() {
        if (aborted) {
            throw new IllegalStateException("snapshot " + id + " was aborted");
        }
    }

    /** The job's own events, as protocol events with QEMU's µs for STOP and RESUME. */
    private void forward(SnapshotEvent event) {
        if (event instanceof SnapshotEvent.Phase p) {
            switch (p.phase()) {
                case "STOP" -> sink.emit(EventKind.STOP, p.vm(), p.atMicros(), null);
                case "RESUME" -> sink.emit(EventKind.RESUME, p.vm(), p.atMicros(), null);
                default -> sink.emit(EventKind.PROGRESS, p.vm(), p.atMicros(), Map.of("phase", p.phase()));
            }
        } else if (event instanceof SnapshotEvent.Progress p) {
            sink.emit(EventKind.PROGRESS, p.vm(), HostClock.wallMicros(),
                    Map.of("memoryDone", p.memoryDone(), "memoryTotal", p.memoryTotal(), "bytesPerSecond", p.bytesPerSecond()));
        }
    }
}
