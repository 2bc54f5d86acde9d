package io.hotsnap.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.CatalogResult;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.snapshot.BackingUsers;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotDeletion;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.StoreListing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's committed snapshots with their records ({@code ID/report.json}, {@link SnapshotRecord}):
 * records are written only next to a committed manifest, and read back for the console's catalog
 * and for {@code hotsnap report}.
 */
public final class Catalog {

    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnapshotStore store;

    public Catalog(SnapshotStore store) {
        this.store = store;
    }

    /**
     * Writes {@code record} as the snapshot's report.json, atomically.
     *
     * @return the file written
     * @throws ProtocolException {@code bad-request}, nothing written, when the snapshot is not
     *                           committed in this store or {@code record} is not its record
     */
    Path write(String id, JsonNode record) throws IOException {
        SnapshotRecord parsed = ofCommitted(id, record, SnapshotRecord.class, "record is not a snapshot record");
        if (!id.equals(parsed.result().id())) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "record is of snapshot " + parsed.result().id() + ", not " + id);
        }
        Path file = report(id);
        PrivateFiles.writeAtomically(file, JSON.writeValueAsBytes(record));
        return file;
    }

    /** {@code json} as {@code type}, for snapshot {@code id} committed in this store; else {@code bad-request}. */
    private <T> T ofCommitted(String id, JsonNode json, Class<T> type, String notOfType) {
        if (store.read(id).filter(m -> id.equals(m.id())).isEmpty()) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "no committed snapshot " + id + " in " + store.root());
        }
        try {
            return JSON.treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, notOfType + ": " + reason(e));
        }
    }

    /**
     * Every committed snapshot, oldest first (a missing or unreadable record leaves the snapshot
     * listed without one), and every broken entry of the store with its reason.
     */
    CatalogResult listing() {
        StoreListing listing = store.listing();
        return new CatalogResult(listing.snapshots().stream().map(this::entry).toList(), listing.broken());
    }

    /**
     * Deletes a committed snapshot, as {@code hotsnap delete} does.
     *
     * @throws io.hotsnap.snapshot.SnapshotException refused, nothing deleted, while {@code users} finds a running VM on its files
     */
    void delete(String id, BackingUsers users) throws IOException {
        new SnapshotDeletion(store, users).delete(id);
    }

    /**
     * One committed snapshot, its record null as in {@link #listing}.
     *
     * @throws java.io.UncheckedIOException when its manifest cannot be read
     */
    public Optional<CatalogEntry> entry(String id) {
        return store.read(id).map(this::entry);
    }

    private CatalogEntry entry(Manifest m) {
        return new CatalogEntry(m, read(m.id()), AgentRestore.partsHere(store, m));
    }

    /**
     * Writes a finished restore's {@code result} as {@code ID/restore-RESTOREID.json}, atomically.
     *
     * @throws ProtocolException {@code bad-request}, nothing written, when the snapshot is not
     *                           committed here or {@code result} is not a restore of it
     */
    Path writeRestore(String id, JsonNode result) throws IOException {
        RestoreResult parsed = ofCommitted(id, result, RestoreResult.class, "result is not a restore result");
        if (!id.equals(parsed.snapshotId()) || parsed.restoreId() == null || !parsed.restoreId().matches("[A-Za-z0-9_.-]+")) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "result is not a restore of " + id + " with a plain restore id");
        }
        Path file = AgentRestore.recordFile(store, id, parsed.restoreId());
        PrivateFiles.writeAtomically(file, JSON.writeValueAsBytes(result));
        return file;
    }

    private SnapshotRecord read(String id) {
        Path file = report(id);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            SnapshotRecord record = JSON.readValue(file.toFile(), SnapshotRecord.class);
            if (!id.equals(record.result().id())) {
                throw new IOException("it is the record of snapshot " + record.result().id());
            }
            return record;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Snapshot {}: ignoring its unreadable {}: {}", id, file, reason(e));
            return null;
        }
    }

    /** Jackson's reason without its source excerpt, so it fits one log line or error reply. */
    private static String reason(Exception e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    private Path report(String id) {
        return store.dir(id).resolve(SnapshotStore.REPORT);
    }
}
