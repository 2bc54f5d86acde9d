package io.hotsnap.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.CatalogResult;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code record} and {@code snapshots} on a temp store: what is written, what is refused, what the catalog lists. */
class SnapshotAgentHandlerCatalogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path socketDir;
    @TempDir
    Path storeDir;

    private RoutedHandler routes;
    private SnapshotStore store;

    @BeforeEach
    void handler() {
        routes = new RoutedHandler(new SnapshotAgentHandler(socketDir, Timeouts.defaults(), (kind, vm, at, data) -> { }));
        store = new SnapshotStore(storeDir);
    }

    @Test
    void recordOfACommittedSnapshotIsListedWithItsManifest() throws Exception {
        Manifest manifest = commit("s1");
        SnapshotRecord record = record("s1");

        routes.answer(new Request.Record("s1", storeDir.toString(), JSON.valueToTree(record)));

        Path report = store.dir("s1").resolve(SnapshotStore.REPORT);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(report)));
        assertEquals(List.of(new CatalogEntry(manifest, record, List.of())), catalog().snapshots());
    }

    @Test
    void snapshotWithoutReportIsListedWithoutRecord() throws Exception {
        Manifest manifest = commit("s1");

        assertEquals(List.of(new CatalogEntry(manifest, null, List.of())), catalog().snapshots());
    }

    @Test
    void corruptReportLeavesTheSnapshotListedWithoutRecord() throws Exception {
        Manifest broken = commit("s1");
        Manifest fine = commit("s2");
        Files.writeString(store.dir("s1").resolve(SnapshotStore.REPORT), "{\"result\":");
        routes.answer(new Request.Record("s2", storeDir.toString(), JSON.valueToTree(record("s2"))));

        assertEquals(List.of(new CatalogEntry(broken, null, List.of()), new CatalogEntry(fine, record("s2"), List.of())), catalog().snapshots());
    }

    @Test
    void reportOfAnotherSnapshotIsNotTakenForThisOnesRecord() throws Exception {
        Manifest manifest = commit("s1");
        Files.write(store.dir("s1").resolve(SnapshotStore.REPORT), JSON.writeValueAsBytes(record("s9")));

        assertEquals(List.of(new CatalogEntry(manifest, null, List.of())), catalog().snapshots());
    }

    @Test
    void uncommittedOrUnknownSnapshotsAreNotListed() throws Exception {
        commit("s1");
        Files.createDirectories(store.partDir("s2", "vm1"));

        assertEquals(List.of("s1"), catalog().snapshots().stream().map(e -> e.manifest().id()).toList());
    }

    @Test
    void recordForAnUncommittedSnapshotIsRefusedAndWritesNothing() throws Exception {
        Files.createDirectories(store.partDir("s2", "vm1"));

        ProtocolException e = assertThrows(ProtocolException.class,
                () -> routes.answer(new Request.Record("s2", storeDir.toString(), JSON.valueToTree(record("s2")))));

        assertEquals(ProtocolException.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("no committed snapshot s2"), e.getMessage());
        assertEquals(List.of(store.partDir("s2", "vm1")), list(store.dir("s2")));
    }

    @Test
    void recordForAnUnknownSnapshotIsRefusedAndCreatesNothing() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> routes.answer(new Request.Record("nope", storeDir.toString(), JSON.valueToTree(record("nope")))));

        assertEquals(ProtocolException.BAD_REQUEST, e.code());
        assertFalse(Files.exists(store.dir("nope")));
    }

    @Test
    void recordThatIsNotASnapshotRecordIsRefusedAndWritesNothing() throws Exception {
        commit("s1");
        JsonNode notARecord = JSON.readTree("{\"result\":{\"id\":\"s1\"},\"colour\":\"blue\"}");

        ProtocolException e = assertThrows(ProtocolException.class,
                () -> routes.answer(new Request.Record("s1", storeDir.toString(), notARecord)));

        assertEquals(ProtocolException.BAD_REQUEST, e.code());
        assertFalse(Files.exists(store.dir("s1").resolve(SnapshotStore.REPORT)));
    }

    @Test
    void recordOfAnotherSnapshotIsRefusedAndWritesNothing() throws Exception {
        commit("s1");

        ProtocolException e = assertThrows(ProtocolException.class,
                () -> routes.answer(new Request.Record("s1", storeDir.toString(), JSON.valueToTree(record("s2")))));

        assertTrue(e.getMessage().contains("record is of snapshot s2, not s1"), e.getMessage());
        assertFalse(Files.exists(store.dir("s1").resolve(SnapshotStore.REPORT)));
    }

    @Test
    void catalogSurvivesTheWireAsTheConsoleReadsIt() throws Exception {
        commit("s1");
        routes.answer(new Request.Record("s1", storeDir.toString(), JSON.valueToTree(record("s1"))));
        commit("s2");
        CatalogResult sent = catalog();

        Reply reply = (Reply) ProtocolCodec.decode(ProtocolCodec.encode(new Reply.Ok(1L, ProtocolCodec.toObject(sent))));

        assertEquals(sent, ProtocolCodec.resultAs(reply, CatalogResult.class));
    }

    @Test
    void helloAnnouncesRecordAndSnapshots() {
        assertTrue(routes.capabilities().containsAll(List.of("record", "snapshots")), routes.capabilities().toString());
    }

    @Test
    void helloAnnouncesTheRestoreRequests() {
        assertTrue(routes.capabilities().containsAll(List.of("restore-preflight", "restore-load", "restore-resume", "restore-abort",
                "restore-record")), routes.capabilities().toString());
    }

    @Test
    void catalogSaysWhichVmsHaveTheirPartsInThisStore() throws Exception {
        Files.createDirectories(store.dir("s1"));
        VmPart part1 = part("vm1");
        Manifest manifest = new Manifest(Manifest.VERSION, "s1", "h1,h2", 1_000, "hold", "none", Manifest.COMMITTED,
                List.of(part1, part("vm2")));
        store.commit(manifest);
        Files.createDirectories(store.partDir("s1", "vm1")); // vm2's part is on the other host

        assertEquals(List.of("vm1"), catalog().snapshots().get(0).here());
    }

    @Test
    void restoreRecordIsKeptNextToTheCommittedSnapshotPrivately() throws Exception {
        commit("s1");
        RestoreResult result = new RestoreResult("r1", "s1", List.of(new RestoreResult.RestoredVmResult("h1", "vm1", "vm1-clone", false,
                812.5, 1_700_000_000_000_123L)), 900, 0.4, 0.05, new TcpReport(List.of(new TcpReport.Flow("vm1", "vm2",
                "10.0.0.1:5000>10.0.0.2:6000", 240.5, 0, 0, List.of(), 1, 0, 80_000, 0, 236.25)), null, null), 3000.0);

        routes.answer(new Request.RestoreRecord("s1", storeDir.toString(), JSON.valueToTree(result)));

        Path file = store.dir("s1").resolve("restore-r1.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(result, JSON.readValue(file.toFile(), RestoreResult.class));
    }

    @Test
    void restoreRecordOfAnUncommittedSnapshotOrWithAPathAsIdIsRefusedAndWritesNothing() throws Exception {
        RestoreResult result = new RestoreResult("r1", "s1", List.of(), 900, 0, 0, null, null);
        ProtocolException none = assertThrows(ProtocolException.class,
                () -> routes.answer(new Request.RestoreRecord("s1", storeDir.toString(), JSON.valueToTree(result))));
        assertTrue(none.getMessage().contains("no committed snapshot s1"), none.getMessage());

        commit("s1");
        RestoreResult escaping = new RestoreResult("../r1", "s1", List.of(), 900, 0, 0, null, null);
        ProtocolException path = assertThrows(ProtocolException.class,
                () -> routes.answer(new Request.RestoreRecord("s1", storeDir.toString(), JSON.valueToTree(escaping))));
        assertEquals(ProtocolException.BAD_REQUEST, path.code());
        assertEquals(List.of(store.dir("s1").resolve(SnapshotStore.MANIFEST)), list(store.dir("s1")));
    }

    private static VmPart part(String name) {
        return new VmPart(name, "7.2.22", List.of("qemu-system-x86_64"), "/run/hotsnap/" + name + ".qmp", 1, new SnapshotFile("m", 1, "x"),
                List.of(), 1, 2, 3, 4, "6.1.0-test", null);
    }

    /** The observation: one manifest.json replaced by "{" hid every snapshot of the store. */
    @Test
    void aCorruptManifestAndAForeignDirectoryAreListedAsBrokenBesideTheGoodSnapshot() throws Exception {
        Manifest fine = commit("s1");
        commit("s2");
        Files.writeString(store.dir("s2").resolve(SnapshotStore.MANIFEST), "{");
        Files.createDirectories(storeDir.resolve("keep"));

        CatalogResult catalog = catalog();
        assertEquals(List.of(new CatalogEntry(fine, null, List.of())), catalog.snapshots());
        assertEquals(List.of("keep", "s2"), catalog.broken().stream().map(io.hotsnap.snapshot.StoreListing.Broken::dir).toList());
        assertTrue(catalog.broken().get(1).reason().startsWith("unreadable manifest.json"), catalog.broken().get(1).reason());
        // The reply crosses the wire: the coordinator reads the same.
        CatalogResult decoded = ProtocolCodec.resultAs(new Reply.Ok(1L, ProtocolCodec.toObject(catalog)), CatalogResult.class);
        assertEquals(catalog, decoded);
    }

    private CatalogResult catalog() {
        return (CatalogResult) routes.answer(new Request.Snapshots(storeDir.toString()));
    }

    private Manifest commit(String id) throws Exception {
        Files.createDirectories(store.dir(id));
        Manifest manifest = new Manifest(Manifest.VERSION, id, "h1", 1_000, "hold", "none", Manifest.COMMITTED, List.of());
        store.commit(manifest);
        return manifest;
    }

    /** A record as the coordinator makes one: figures with a TCP analysis, agent events and its own. */
    private static SnapshotRecord record(String id) throws Exception {
        TcpReport tcp = new TcpReport(List.of(new TcpReport.Flow("vm1", "vm2", "10.0.0.1:5000>10.0.0.2:6000", 12.5, -0.25, 1,
                List.of(3.5), 0, 2, 123_456, 0, 40.0)), 0, null);
        ClusterResult result = new ClusterResult(id, "committed", "hold", 0.75, 812.3, 0.05,
                List.of(new VmResult("vm1", "h1", 3.1, 9.9, 4.2, 700.7, 268_435_456, 0, 1_700_000_000_000_123L, null)), tcp);
        return new SnapshotRecord(result, List.of(
                new ClusterEvent("h1", 1, EventKind.STOP, "vm1", 1_700_000_000_000_123L, JSON.readTree("{}")),
                new ClusterEvent("h1", 2, EventKind.PROGRESS, "vm1", 1_700_000_000_100_000L,
                        JSON.readTree("{\"memoryDone\":1048576,\"memoryTotal\":268435456,\"bytesPerSecond\":5000000000}")),
                ClusterEvent.committed(id, 812.3, 1_700_000_000_900_000L)));
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
