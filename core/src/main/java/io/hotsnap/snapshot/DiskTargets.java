package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.guard.DiskCopyNodes;
import io.hotsnap.host.HostCommand;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.qmp.BlockJobEvent;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import io.hotsnap.vm.DiskInfo;
import io.hotsnap.vm.VmEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where a VM's writable disks are fixed at the snapshot point: a full copy into the part's directory
 * ({@link DiskMode#COPY}, a backup job per disk) or an overlay put on top ({@link DiskMode#OVERLAY}).
 * Knows what it made in QEMU and on disk, so that an abort can take it back.
 */
final class DiskTargets {

    private final SnapshotContext vm;
    private final DiskMode mode;
    private final List<DiskInfo> disks;
    private final Path dir;
    private final String id;
    private final VmEndpoint endpoint;
    /** QEMU runs as another user (libvirt's): it cannot open our private files and gets descriptors. */
    private final boolean qemuIsAnotherUser;
    // Written by the job's thread, read by an abort that may come from the agent's request thread.
    private final List<String> targetNodes = new CopyOnWriteArrayList<>();
    private final List<String> jobs = new CopyOnWriteArrayList<>();
    /** Overlay mode: each disk's overlay, made (0600) before the pause and put on top by the pause's transaction. */
    private final Map<String, Path> overlays = new ConcurrentHashMap<>();
    /** fd sets holding our disk targets' descriptors, for a QEMU that cannot open them itself. */
    private final List<Integer> fdsets = new CopyOnWriteArrayList<>();

    DiskTargets(SnapshotContext vm, DiskMode mode, List<DiskInfo> disks, Path dir, String id, VmEndpoint endpoint,
                boolean qemuIsAnotherUser) {
        this.vm = vm;
        this.mode = mode;
        this.disks = List.copyOf(disks);
        this.dir = dir;
        this.id = id;
        this.endpoint = endpoint;
        this.qemuIsAnotherUser = qemuIsAnotherUser;
    }

    /** Before the pause: each disk's copy target (a block node) or overlay file. */
    void create() throws IOException {
        for (DiskInfo disk : disks) {
            if (mode == DiskMode.COPY) {
                addBackupTarget(disk);
            } else {
                createOverlay(disk);
            }
        }
    }

    /** The disks' point-in-time, in one transaction while the guest is stopped. */
    void fix() {
        transaction().ifPresent(t -> vm.call("transaction", t));
    }

    /** The disks' point-in-time as one QMP transaction, to run while the guest is stopped. */
    Optional<Map<String, Object>> transaction() {
        if (disks.isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> actions = new ArrayList<>();
        for (DiskInfo disk : disks) {
            if (mode == DiskMode.COPY) {
                String job = DiskCopyNodes.job(disk.device());
                actions.add(Map.of("type", "blockdev-backup", "data", Map.of("device", source(disk),
                        "target", DiskCopyNodes.node(disk.device()), "sync", "full", "job-id", job)));
                jobs.add(job);
            } else {
                actions.add(Map.of("type", "blockdev-snapshot-sync", "data", Map.of("device", source(disk),
                        "snapshot-file", overlays.get(disk.device()).toString(), "format", "qcow2", "mode", "existing")));
            }
        }
        return Optional.of(Map.of("actions", actions));
    }

    /** Until every disk copy has ended; QEMU's reason if one failed. */
    void awaitJobs() {
        for (String job : List.copyOf(jobs)) {
            QmpEvent done = vm.log.await(e -> (e.is(BlockJobEvent.COMPLETED) || e.is(BlockJobEvent.ERROR))
                    && job.equals(BlockJobEvent.of(e).device()), Waits.DISK_COPY);
            String error = BlockJobEvent.of(done).error();
            if (done.is(BlockJobEvent.ERROR) || error != null) {
                throw new IllegalStateException("disk copy " + job + " failed: " + (error == null ? done.data().toString() : error));
            }
            jobs.remove(job);
        }
    }

    /** Our disk copy jobs still running. */
    List<String> jobs() {
        return List.copyOf(jobs);
    }

    void cancel(String job) {
        vm.call(QmpCommands.blockJobCancel(job, true));
    }

    /** Until QEMU lists no block job (cancelled ones take a moment to end), at most one command timeout. */
    void awaitNoJobs() {
        Poll.every(Waits.BLOCK_JOBS_POLL, vm.timeouts.qmpCommand()).until(() -> {
            try {
                return vm.call(QmpCommands.queryBlockJobs()).isEmpty();
            } catch (RuntimeException e) {
                return true;
            }
        });
    }

    /** The disks' part of the manifest, fsynced and hashed. */
    List<DiskCopy> copies() throws IOException {
        List<DiskCopy> copies = new ArrayList<>();
        for (DiskInfo disk : disks) {
            Path image = mode == DiskMode.COPY ? dir.resolve(disk.device() + ".qcow2") : Path.of(disk.file());
            PrivateFiles.fsync(image);
            String relative = mode == DiskMode.COPY ? image.getFileName().toString() : image.toString();
            copies.add(new DiskCopy(disk.device(), disk.nodeName(), disk.file(), "qcow2", disk.sizeBytes(),
                    new SnapshotFile(relative, Files.size(image), SnapshotFile.sha256(image))));
        }
        return copies;
    }

    /** Our copy targets' block nodes and descriptors, out of QEMU. */
    void release() {
        for (String node : List.copyOf(targetNodes)) {
            vm.call(QmpCommands.blockdevDel(node));
            targetNodes.remove(node);
        }
        for (Integer fdset : List.copyOf(fdsets)) {
            vm.call(QmpCommands.removeFd(fdset));
            fdsets.remove(fdset);
        }
    }

    /** Overlays that could not be undone: the VM may run on them, so they must stay. */
    Collection<Path> overlaysLeft() {
        return List.copyOf(overlays.values());
    }

    /**
     * A failed overlay snapshot undone: a disk already on our overlay has the overlay committed back
     * into it (an active commit, pivoting to the disk itself), so the guest writes on its own disk
     * again and loses nothing written since; then the overlays are removed.
     */
    void undoOverlays() {
        Map<String, String> topFiles = new LinkedHashMap<>();
        for (JsonNode dev : vm.call("query-block", null)) {
            JsonNode inserted = dev.path("inserted");
            topFiles.put(inserted.path("file").asText(), inserted.path("node-name").asText());
        }
        for (Map.Entry<String, Path> o : List.copyOf(overlays.entrySet())) {
            String node = topFiles.get(o.getValue().toString());
            if (node != null) {
                commitBack(node, o.getValue());
            }
            try {
                Files.deleteIfExists(o.getValue());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            overlays.remove(o.getKey());
        }
    }

    private void commitBack(String node, Path overlay) {
        String job = DiskCopyNodes.jobId("hotsnap-undo-" + node);
        vm.call(QmpCommands.blockCommit(job, node));
        vm.log.await(e -> BlockJobEvent.is(e, BlockJobEvent.READY, job), Waits.DISK_JOB_STALL);
        vm.call(QmpCommands.blockJobComplete(job));
        QmpEvent done = vm.log.await(e -> BlockJobEvent.is(e, BlockJobEvent.COMPLETED, job), Waits.DISK_JOB_STALL);
        String error = BlockJobEvent.of(done).error();
        if (error != null) {
            throw new IllegalStateException("committing " + overlay + " back failed: " + error);
        }
    }

    private void addBackupTarget(DiskInfo disk) throws IOException {
        Path target = dir.resolve(disk.device() + ".qcow2");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", target.toString(), Long.toString(disk.sizeBytes())),
                vm.timeouts.qmpCommand());
        PrivateFiles.restrict(target);
        String node = DiskCopyNodes.node(disk.device());
        Optional<Integer> fdset = qemuIsAnotherUser ? endpoint.passFile(target) : Optional.empty();
        fdset.ifPresent(fdsets::add);
        String filename = fdset.map(set -> "/dev/fdset/" + set).orElse(target.toString());
        vm.call("blockdev-add", Map.of("driver", "qcow2", "node-name", node,
                "file", Map.of("driver", "file", "filename", filename)));
        targetNodes.add(node);
    }

    /** The overlay, 0600 before QEMU writes a byte of guest data into it; its backing named, not opened (QEMU holds the disk). */
    private void createOverlay(DiskInfo disk) throws IOException {
        Path overlay = overlayOf(disk);
        if (Files.exists(overlay)) {
            throw new IOException(overlay + " exists already: not ours to overwrite");
        }
        PrivateFiles.createFile(overlay);
        overlays.put(disk.device(), overlay);
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-u", "-b", disk.file(), "-F", disk.format(),
                overlay.toString(), Long.toString(disk.sizeBytes())), vm.timeouts.qmpCommand());
    }

    /**
     * Beside the disk's file; a block device's (nothing may be created under {@code /dev}: it is RAM,
     * and not ours) in the part's directory.
     */
    private Path overlayOf(DiskInfo disk) {
        Path file = Path.of(disk.file());
        return file.startsWith("/dev") || !Files.isRegularFile(file) ? dir.resolve(disk.device() + ".overlay.qcow2")
                : Path.of(disk.file() + ".hotsnap-" + id + ".qcow2");
    }

    private static String source(DiskInfo disk) {
        return disk.device().isEmpty() ? disk.nodeName() : disk.device();
    }
}
