package io.hotsnap.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The recorded 3-VM hold cut (resources {@code hold-3vm.*}) as a store holds it: the manifest built
 * from the parts its DONE events carry, and its record.
 */
public final class RecordedSnapshot {

    public static final ObjectMapper JSON = new ObjectMapper();

    private RecordedSnapshot() {
    }

    public static ClusterResult result() {
        try (InputStream in = resource("hold-3vm.result.json")) {
            return JSON.readValue(in, ClusterResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<ClusterEvent> events() {
        try (InputStream in = resource("hold-3vm.events.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(RecordedSnapshot::event).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SnapshotRecord record() {
        return new SnapshotRecord(result(), events());
    }

    /** The manifest the cut committed: its VMs' parts, in the result's order. */
    public static Manifest manifest() {
        List<VmPart> parts = result().vms().stream().map(v -> events().stream()
                .filter(e -> e.kind() == EventKind.DONE && v.name().equals(e.vm())).findFirst().orElseThrow()).map(e -> {
                    try {
                        return JSON.treeToValue(e.data().get("part"), VmPart.class);
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }).toList();
        return manifest(parts);
    }

    public static Manifest manifest(List<VmPart> parts) {
        // created a second before the first snapshot point, as a real cut's prepare would be
        return new Manifest(Manifest.VERSION, result().id(), "local", parts.get(0).stopAt() - 1_000_000, "hold", "copy",
                Manifest.COMMITTED, parts);
    }

    /** Commits {@code manifest} in {@code store}, and the record next to it unless null. */
    public static void store(SnapshotStore store, Manifest manifest, SnapshotRecord record) throws IOException {
        PrivateFiles.createDirectories(store.dir(manifest.id()));
        store.commit(manifest);
        if (record != null) {
            PrivateFiles.writeAtomically(store.dir(manifest.id()).resolve(SnapshotStore.REPORT), JSON.writeValueAsBytes(record));
        }
    }

    private static ClusterEvent event(String line) {
        try {
            return JSON.readValue(line, ClusterEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        return RecordedSnapshot.class.getResourceAsStream(name);
    }
}
