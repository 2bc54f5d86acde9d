package io.hotsnap.snapshot;

import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.SocketDirSource;
import io.hotsnap.vm.VmEndpoint;
import io.hotsnap.vm.VmSourceException;
import io.hotsnap.vm.VmSources;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Snapshots of VMs on this host, taken one after another (the coordinated cluster cut comes with
 * the protocol). Every VM is prepared, so every refusal is known, before any VM is paused; the
 * manifest is committed only when every part is complete; otherwise nothing is left.
 */
public final class LocalSnapshots {

    private final VmSources sources;
    private final SnapshotStore store;
    private final Timeouts timeouts;

    public LocalSnapshots(VmSources sources, SnapshotStore store, Timeouts timeouts) {
        this.sources = sources;
        this.store = store;
        this.timeouts = timeouts;
    }

    /** The VMs of one socket directory only (tests, with a directory of their own). */
    public LocalSnapshots(Path socketDir, SnapshotStore store, Timeouts timeouts) {
        this(new VmSources(List.of(new SocketDirSource(socketDir))), store, timeouts);
    }

    public Manifest take(List<String> vms, SnapshotMode mode, DiskMode diskMode, Consumer<SnapshotEvent> events) {
        Map<String, VmEndpoint> endpoints = new LinkedHashMap<>();
        for (String vm : vms) {
            try {
                endpoints.put(vm, sources.find(vm).endpoint());
            } catch (VmSourceException e) {
                throw SnapshotException.refused(e.getMessage());
            }
        }
        String id;
        SnapshotStore.WorkLock lock;
        try {
            store.removeAbandoned();
            id = store.create();
            lock = store.lock(id);
        } catch (IOException e) {
            throw SnapshotException.refused("cannot create a snapshot in " + store.root() + ": " + e.getMessage());
        }
        List<VmSnapshotJob> jobs = new CopyOnWriteArrayList<>();
        // Ctrl-C or a kill: the JVM runs this before it exits, and an abort lets a started
        // background copy finish (QEMU 7.2 freezes a guest whose copy is cut off), resumes
        // the VMs and removes the partial files.
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread onExit = new Thread(() -> {
            cancelled.set(true);
            abortAll(jobs, id, "cancelled: the process taking it is exiting");
        }, "snapshot-cancel-" + id);
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            for (String vm : vms) {
                VmSnapshotJob job = new VmSnapshotJob(vm, endpoints.get(vm), store, id, mode, diskMode, timeouts, events);
                jobs.add(job);
                job.prepare();
            }
            List<VmPart> parts = new ArrayList<>();
            for (VmSnapshotJob job : jobs) {
                job.transientSnapshot();
                parts.add(job.fullSnapshot());
            }
            Manifest manifest = new Manifest(Manifest.VERSION, id, hostName(), ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()),
                    mode.cliName(), diskMode.cliName(), Manifest.COMMITTED, parts);
            store.commit(manifest);
            return manifest;
        } catch (SnapshotException e) {
            abortUnlessCancelled(cancelled, jobs, id);
            throw e;
        } catch (IOException | RuntimeException e) {
            abortUnlessCancelled(cancelled, jobs, id);
            throw new SnapshotException(SnapshotException.Kind.FAILED, "snapshot " + id + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException exiting) {
                // the JVM is shutting down and the hook is running: it owns the cleanup now
            }
            if (!cancelled.get()) {
                jobs.forEach(VmSnapshotJob::close);
            }
            close(lock);
        }
    }

    /** The exit hook, once running, owns the jobs: a second abort racing it could close its QMP. */
    private void abortUnlessCancelled(AtomicBoolean cancelled, List<VmSnapshotJob> jobs, String id) {
        if (!cancelled.get()) {
            abortAll(jobs, id, "another part of snapshot " + id + " failed");
        }
    }

    private void abortAll(List<VmSnapshotJob> jobs, String id, String reason) {
        for (VmSnapshotJob job : jobs) {
            job.abort(reason);
        }
        try {
            store.delete(id);
        } catch (IOException e) {
            // what remains has no manifest, so it is no snapshot; say where it is
            org.slf4j.LoggerFactory.getLogger(LocalSnapshots.class).warn("cannot remove {}: {}", store.dir(id), e.getMessage());
        }
    }

    private static void close(SnapshotStore.WorkLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            // the process's end drops it anyway
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
