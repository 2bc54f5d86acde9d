package io.hotsnap.snapshot;

import io.hotsnap.guard.DiskCopyNodes;
import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.qmp.BlockJobEvent;
import io.hotsnap.qmp.BlockJobInfo;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.qmp.QmpEventSubscription;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.vm.VmEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a running VM independent of a store's snapshots: each disk whose backing chain reaches into
 * the store gets that chain's data streamed into its top overlay ({@code block-stream}), after which
 * QEMU drops the backing file and the snapshot can be deleted. The guest runs on throughout.
 */
public final class DiskDetach {

    private final Timeouts timeouts;

    public DiskDetach(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    /** One disk made independent: the store's files it no longer needs. */
    public record Detached(String disk, List<String> files) {
    }

    /**
     * @param manager the VM's manager ({@link VmEndpoint#manager}); a managed VM is refused, its
     *                manager must pull the chain itself so that its definition follows
     * @return the disks detached; empty when none used the store
     * @throws SnapshotException refused (nothing changed) or failed (a stream that QEMU ended with an error or that stalled)
     */
    public List<Detached> detach(String vm, VmEndpoint endpoint, Path storeRoot) {
        Path root = BackingUsers.real(storeRoot);
        Optional<String> manager = endpoint.manager();
        try (QmpClient qmp = endpoint.qmpClient(timeouts)) {
            try {
                qmp.connect(timeouts.qmpConnect());
            } catch (QmpException e) {
                throw SnapshotException.refused(vm + ": QEMU does not answer on " + endpoint.qmpTarget() + ": " + e.getMessage());
            }
            List<Stream> streams = plan(vm, qmp.call("query-block", null, timeouts.qmpCommand()), root);
            if (!streams.isEmpty() && manager.isPresent()) {
                throw SnapshotException.refused(vm + " is managed by " + manager.get() + ", which must see its disks change: pull them with "
                        + "its own tools (virsh blockpull " + vm + " DISK --wait), not behind its back");
            }
            List<Detached> done = new ArrayList<>();
            try (QmpEventSubscription events = qmp.subscribe(e -> e.name().startsWith("BLOCK_JOB_"), 256)) {
                for (Stream s : streams) {
                    stream(vm, qmp, events, s);
                    done.add(new Detached(s.disk(), s.files()));
                }
            }
            List<String> still = BackingUsers.namedFilesUnder(qmp.call("query-named-block-nodes", null, timeouts.qmpCommand()), root);
            if (!still.isEmpty()) {
                throw new SnapshotException(SnapshotException.Kind.FAILED, vm + " still uses " + String.join(", ", still) + " after the streams");
            }
            return done;
        }
    }

    /** One disk to stream: its top node and the store's files below it. */
    record Stream(String disk, String node, List<String> files) {
    }

    /** The disks whose chain reaches into the store; refused when a disk's top itself lives there (nothing to stream into). */
    static List<Stream> plan(String vm, JsonNode queryBlock, Path root) {
        List<Stream> streams = new ArrayList<>();
        for (JsonNode dev : queryBlock) {
            JsonNode inserted = dev.path("inserted");
            if (inserted.isMissingNode()) {
                continue;
            }
            String node = inserted.path("node-name").asText();
            String disk = dev.path("device").asText("").isEmpty() ? node : dev.path("device").asText();
            String top = inserted.path("image").path("filename").asText(inserted.path("file").asText());
            if (BackingUsers.under(top, root)) {
                throw SnapshotException.refused(vm + ": disk " + disk + " writes to " + top + " in the store itself: there is no overlay of its own to stream into");
            }
            List<String> files = BackingUsers.namedFilesUnder(inserted, root);
            if (!files.isEmpty()) {
                streams.add(new Stream(disk, node, files));
            }
        }
        return streams;
    }

    /** Streams one disk to its end; a job that reports an error, or moves no byte for {@link Waits#DISK_JOB_STALL}, fails. */
    private void stream(String vm, QmpClient qmp, QmpEventSubscription events, Stream s) {
        String job = DiskCopyNodes.jobId("hotsnap-detach-" + s.node());
        qmp.call(QmpCommands.blockStream(job, s.node()), timeouts.qmpCommand());
        long offset = -1;
        long movedAt = System.nanoTime();
        while (true) {
            Optional<QmpEvent> e = events.poll(Waits.BLOCK_JOB_POLL);
            if (e.isPresent() && job.equals(BlockJobEvent.of(e.get()).device())) {
                if (e.get().is(BlockJobEvent.COMPLETED)) {
                    String error = BlockJobEvent.of(e.get()).error();
                    if (error != null) {
                        throw new SnapshotException(SnapshotException.Kind.FAILED, vm + ": streaming disk " + s.disk() + " failed: "
                                + error + "; it still runs on the snapshot");
                    }
                    return;
                }
                continue;
            }
            long now = progress(qmp, job);
            if (now != offset) {
                offset = now;
                movedAt = System.nanoTime();
            } else if (System.nanoTime() - movedAt > Waits.DISK_JOB_STALL.toNanos()) {
                qmp.call(QmpCommands.blockJobCancel(job, true), timeouts.qmpCommand());
                throw new SnapshotException(SnapshotException.Kind.FAILED, vm + ": streaming disk " + s.disk() + " moved no byte for "
                        + Waits.DISK_JOB_STALL.toMinutes() + " min and was cancelled; it still runs on the snapshot");
            }
        }
    }

    /** The job's offset; -2 once QEMU lists it no more (its completion event is then queued). */
    private long progress(QmpClient qmp, String job) {
        for (BlockJobInfo j : qmp.call(QmpCommands.queryBlockJobs(), timeouts.qmpCommand())) {
            if (job.equals(j.device())) {
                return j.offset();
            }
        }
        return -2;
    }
}
