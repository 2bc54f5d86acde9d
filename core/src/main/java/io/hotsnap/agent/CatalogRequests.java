package io.hotsnap.agent;

import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.BackingUsers;
import io.hotsnap.snapshot.DiskDetach;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.vm.VmSourceException;
import io.hotsnap.vm.VmSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent's requests on what a store keeps, its {@link Catalog}: {@code record} (a snapshot's
 * figures) and {@code restore-record} (a restore's), {@code snapshots} (the listing),
 * {@code delete}, and {@code detach} (a VM made independent of the store so its snapshots can go).
 * Nothing here waits on the coordinator.
 */
final class CatalogRequests implements AgentHandler {

    private final VmSources sources;
    private final Timeouts timeouts;
    private final SnapshotRequests snapshots;

    /** @param snapshots told when a snapshot is recorded: past that, an {@code abort} no longer withdraws it */
    CatalogRequests(VmSources sources, Timeouts timeouts, SnapshotRequests snapshots) {
        this.sources = sources;
        this.timeouts = timeouts;
        this.snapshots = snapshots;
    }

    @Override
    public void addRoutes(RequestRoutes routes) {
        routes.on(Request.Record.class, this::record)
                .on(Request.Snapshots.class, request -> new Catalog(store(request.store())).listing())
                .on(Request.Delete.class, this::delete)
                .on(Request.Detach.class, this::detach)
                .on(Request.RestoreRecord.class, this::restoreRecord);
    }

    /** The store a request names, or the host's default. */
    static SnapshotStore store(String dir) {
        return new SnapshotStore(dir != null ? Path.of(dir) : SnapshotStore.defaultRoot());
    }

    /** The committed snapshot's report.json; refused, with nothing written, for a snapshot not committed in that store. */
    private Object record(Request.Record request) throws IOException {
        snapshots.stands(request.snapshotId()); // recorded only once committed everywhere
        Path file = new Catalog(store(request.store())).write(request.snapshotId(), request.record());
        return Map.of("report", file.toString());
    }

    /** Refused, deleting nothing, while a running VM of this host uses the snapshot's files. */
    private Object delete(Request.Delete request) throws IOException {
        try {
            new Catalog(store(request.store())).delete(request.snapshotId(), new BackingUsers(sources, timeouts));
        } catch (SnapshotException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
        return Map.of("deleted", request.snapshotId());
    }

    private Object detach(Request.Detach request) {
        try {
            return Map.of("vm", request.vm(), "detached",
                    new DiskDetach(timeouts).detach(request.vm(), sources.find(request.vm()).endpoint(), store(request.store()).root()));
        } catch (SnapshotException | VmSourceException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage());
        }
    }

    private Object restoreRecord(Request.RestoreRecord request) throws IOException {
        Path file = new Catalog(store(request.store())).writeRestore(request.snapshotId(), request.result());
        return Map.of("record", file.toString());
    }

    @Override
    public void coordinatorLost() {
        // A listing, a record or a delete holds nothing for the coordinator.
    }
}
