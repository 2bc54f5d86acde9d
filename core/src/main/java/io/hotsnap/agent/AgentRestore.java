package io.hotsnap.agent;

import io.hotsnap.host.HostClock;
import io.hotsnap.net.TrafficResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.restore.PreflightCheck;
import io.hotsnap.restore.RestoreChoice;
import io.hotsnap.restore.RestorePhase;
import io.hotsnap.restore.RestoredVm;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's share of one restore: the VMs it loaded, paused at the snapshot's instant, until the
 * coordinator says resume (every host loaded) or abort (some host could not). Preflight is checked
 * again before anything is touched; an abort kills what was loaded and removes its overlays. Asked
 * to, it captures the in-place VMs' taps from the load until a window after the resume, to show
 * their TCP streams flowing again (clones are not captured: their taps join no network).
 */
final class AgentRestore {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRestore.class);

    private final String id;
    private final VmRestore restorer;
    private final AgentEventSink sink;
    private final List<VmRestore.Loaded> loaded = new ArrayList<>();
    private final Duration captureWindow;
    private CaptureSession capture = CaptureSession.none();
    /** The last RESUME of this host's VMs, host µs: the capture window runs from it. */
    private long resumedAt;

    private AgentRestore(String id, VmRestore restorer, AgentEventSink sink, Duration captureWindow) {
        this.id = id;
        this.restorer = restorer;
        this.sink = sink;
        this.captureWindow = captureWindow;
    }

    String id() {
        return id;
    }

    /** Every check of every chosen VM; a VM this host has no part of is one red line. Touches nothing. */
    static List<PreflightCheck> preflight(SnapshotStore store, String snapshotId, List<RestoreChoice> vms, VmRestore restorer) {
        Manifest manifest = committed(store, snapshotId);
        List<PreflightCheck> checks = new ArrayList<>();
        for (RestoreChoice choice : vms) {
            Optional<VmPart> part = partHere(store, manifest, choice.vm());
            if (part.isEmpty()) {
                checks.add(new PreflightCheck(PreflightCheck.SNAPSHOT, choice.vm(), false,
                        "snapshot " + snapshotId + " has no part of " + choice.vm() + " in " + store.root() + " on this host"));
            } else {
                checks.addAll(restorer.preflight(store.partDir(snapshotId, choice.vm()), part.get(), Optional.ofNullable(choice.asClone())));
            }
        }
        return checks;
    }

    /**
     * Plans every VM, each checked again (refused, touching nothing, if any check fails), then loads them one by one;
     * if one fails, those loaded are discarded and the failure is thrown.
     */
    static AgentRestore load(String id, SnapshotStore store, String snapshotId, List<RestoreChoice> vms, VmRestore restorer,
                             AgentEventSink sink, Duration captureWindow) {
        Manifest manifest = committed(store, snapshotId);
        List<VmRestore.Plan> plans = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (RestoreChoice choice : vms) {
            try {
                VmPart part = partHere(store, manifest, choice.vm()).orElseThrow(() -> new SnapshotException(SnapshotException.Kind.REFUSED,
                        "cannot restore: no part of " + choice.vm() + " on this host"));
                plans.add(restorer.plan(snapshotId, store.partDir(snapshotId, choice.vm()), part, choice));
            } catch (SnapshotException e) {
                refused.add(e.getMessage());
            }
        }
        if (!refused.isEmpty()) {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, String.join("; ", refused));
        }
        AgentRestore restore = new AgentRestore(id, restorer, sink, captureWindow);
        restore.loaded.addAll(restorer.loadAll(plans, new VmRestore.LoadListener() {
            @Override
            public void loading(VmRestore.Plan plan) {
                restore.emit(plan, RestorePhase.LOADING, Map.of());
            }

            @Override
            public void loaded(VmRestore.Loaded l) {
                restore.emit(l.plan(), RestorePhase.LOADED, Map.of("loadMs", l.loadMs()));
            }

            @Override
            public void failed(VmRestore.Plan plan, String reason) {
                restore.emitError(plan, reason);
            }

            @Override
            public void discarded(VmRestore.Loaded l) {
                restore.emit(l.plan(), RestorePhase.DISCARDED, Map.of("reason", "loading another VM failed"));
            }
        }));
        if (!captureWindow.isZero()) {
            restore.startCapture();
        }
        return restore;
    }

    /** Every VM is paused at its snapshot's instant now, so a capture started here misses nothing of the resume. */
    private synchronized void startCapture() {
        capture = CaptureSession.start("Restore " + id, () -> loaded.stream().flatMap(l -> restorer.taps(l).stream()).toList(),
                loaded.stream().noneMatch(l -> l.plan().inPlace())
                        ? "clones have no network of their own (each clone's NIC is on a tap of its own that joins no bridge)"
                        : "no restored VM has a tap NIC to capture on");
    }

    /** Whether {@link #traffic} has something to wait for and send. */
    synchronized boolean capturing() {
        return capture.capturing();
    }

    /**
     * The frames seen from the load until the capture window after the last resume on this host
     * (waited out here); the capture's files are deleted. Asked for once.
     */
    TrafficResult traffic() {
        CaptureSession c;
        long until;
        synchronized (this) {
            c = capture;
            until = resumedAt + captureWindow.toNanos() / 1000;
        }
        return c.frames(until, Long.MIN_VALUE);
    }

    /** The capture's tcpdumps killed and files deleted; never throws. */
    void discardCapture() {
        capture.discard();
    }

    /** Resumes every loaded VM together ({@link VmRestore#resumeEach}); one that fails to resume is discarded, the others run on. */
    synchronized List<Map<String, Object>> resume() {
        List<Map<String, Object>> resumed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (VmRestore.Resumed r : restorer.resumeEach(List.copyOf(loaded))) {
            if (r.failure() != null) {
                emitError(r.loaded().plan(), r.failure().getMessage());
                failed.add(r.failure().getMessage());
                continue;
            }
            loaded.remove(r.loaded());
            RestoredVm vm = r.restored();
            resumedAt = Math.max(resumedAt, vm.resumedAt());
            sink.emit(EventKind.RESTORE, vm.name(), vm.resumedAt(), Map.of("phase", RestorePhase.RESUMED, "from", vm.fromVm()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("vm", vm.fromVm());
            row.put("as", vm.name());
            row.put("inPlace", r.loaded().plan().inPlace());
            row.put("loadMs", vm.loadMs());
            row.put("resumedAt", vm.resumedAt());
            resumed.add(row);
        }
        if (!failed.isEmpty()) {
            discard("it did not resume");
            throw new SnapshotException(SnapshotException.Kind.FAILED, String.join("; ", failed) + " (discarded; "
                    + resumed.size() + " VM" + (resumed.size() == 1 ? "" : "s") + " of this host resumed)");
        }
        return resumed;
    }

    /**
     * Kills every VM loaded and not resumed and removes its overlays.
     *
     * @return the in-place VMs whose original had been shut down for the restore: they run no more
     */
    synchronized List<String> discard(String reason) {
        List<String> originalsStopped = new ArrayList<>();
        for (VmRestore.Loaded l : loaded) {
            restorer.discard(l);
            emit(l.plan(), RestorePhase.DISCARDED, Map.of("reason", reason));
            if (l.originalStopped()) {
                originalsStopped.add(l.plan().name());
            }
        }
        loaded.clear();
        discardCapture();
        return originalsStopped;
    }

    private void emit(VmRestore.Plan plan, RestorePhase phase, Map<String, Object> figures) {
        Map<String, Object> data = new LinkedHashMap<>(figures);
        data.put("phase", phase);
        data.put("from", plan.part().name());
        sink.emit(EventKind.RESTORE, plan.name(), HostClock.wallMicros(), data);
    }

    private void emitError(VmRestore.Plan plan, String message) {
        sink.emit(EventKind.ERROR, plan.name(), HostClock.wallMicros(), Map.of("message", message));
    }

    private static Manifest committed(SnapshotStore store, String snapshotId) {
        return store.read(snapshotId).filter(m -> Manifest.COMMITTED.equals(m.status()))
                .orElseThrow(() -> new SnapshotException(SnapshotException.Kind.REFUSED, "no committed snapshot " + snapshotId + " in " + store.root()));
    }

    /** A cut across hosts lists every VM in every host's manifest, but keeps each part on its own host. */
    private static Optional<VmPart> partHere(SnapshotStore store, Manifest manifest, String vm) {
        return manifest.vms().stream().filter(p -> p.name().equals(vm)).findFirst()
                .filter(p -> Files.isDirectory(store.partDir(manifest.id(), vm)));
    }

    /** Which of the manifest's VMs have their part in this host's store. */
    static List<String> partsHere(SnapshotStore store, Manifest manifest) {
        return manifest.vms().stream().map(VmPart::name).filter(vm -> Files.isDirectory(store.partDir(manifest.id(), vm))).toList();
    }

    static Path recordFile(SnapshotStore store, String snapshotId, String restoreId) {
        return store.dir(snapshotId).resolve("restore-" + restoreId + ".json");
    }
}
