package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {

    @TempDir
    Path root;

    @Test
    void aSnapshotSomeoneWorksOnIsNotAbandonedEvenWithTwoEnginesOnIt() throws Exception {
        SnapshotStore store = new SnapshotStore(root);
        try (SnapshotStore.WorkLock first = store.lock("s1"); SnapshotStore.WorkLock second = store.lock("s1")) {
            assertEquals(List.of(), store.removeAbandoned());
            assertTrue(Files.isDirectory(store.dir("s1")));
        }
    }

    @Test
    void aSnapshotWhoseEngineDiedIsRemoved() throws Exception {
        SnapshotStore store = new SnapshotStore(root);
        // What a killed engine leaves: its lock file, with no process holding the lock.
        SnapshotStore.WorkLock lock = store.lock("s2");
        lock.lock().release();
        lock.channel().close();
        Files.createDirectories(store.partDir("s2", "vm1"));
        Files.writeString(store.partDir("s2", "vm1").resolve("memory.img"), "partial");
        assertEquals(List.of("s2"), store.removeAbandoned());
        assertTrue(Files.notExists(store.dir("s2")));
    }

    @Test
    void aCommittedSnapshotIsNeverAbandoned() throws Exception {
        SnapshotStore store = new SnapshotStore(root);
        Files.createDirectories(store.dir("s3"));
        Files.writeString(store.dir("s3").resolve(SnapshotStore.MANIFEST), "{}");
        Files.createFile(store.dir("s3").resolve(".lock-0123456789abcdef"));
        assertEquals(List.of(), store.removeAbandoned());
    }

    @Test
    void aDirectoryBeingCreatedWithoutItsLockYetIsLeftAlone() throws Exception {
        SnapshotStore store = new SnapshotStore(root);
        store.lock("s4").close();
        assertEquals(List.of(), store.removeAbandoned());
        assertTrue(Files.isDirectory(store.dir("s4")));
    }

    /** The observation: a store given as a directory with data of its own. */
    @Test
    void aForeignDirectoryIsNeverRemovedWhateverItsAge() throws Exception {
        Path keep = foreignDirectory("keep");
        SnapshotStore store = new SnapshotStore(root);
        assertEquals(List.of(), store.removeAbandoned());
        store.create();
        assertEquals("mine", Files.readString(keep.resolve("notes.txt")));
    }

    @Test
    void anExistingStoreKeepsItsModeAndANewOneIsPrivate() throws Exception {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        new SnapshotStore(root).create();
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        assertFalse(Files.exists(root.resolve(SnapshotStore.MARKER)), "a marker in a directory HotSnap did not make");

        Path fresh = root.resolve("new-store");
        String id = new SnapshotStore(fresh).create();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        assertTrue(Files.isRegularFile(fresh.resolve(SnapshotStore.MARKER)));
        assertTrue(Files.isRegularFile(fresh.resolve(id).resolve(SnapshotStore.MARKER)));
    }

    @Test
    void aForeignDirectoryIsNeitherDeletedNorTakenAsASnapshot() throws Exception {
        Path keep = foreignDirectory("keep");
        SnapshotStore store = new SnapshotStore(root);
        IOException deleted = assertThrows(IOException.class, () -> store.delete("keep"));
        assertTrue(deleted.getMessage().contains("not made by HotSnap"), deleted.getMessage());
        // An agent asked to prepare a snapshot whose id is the foreign directory's name: refused, so its abort cannot delete it.
        assertThrows(IOException.class, () -> store.lock("keep"));
        assertEquals("mine", Files.readString(keep.resolve("notes.txt")));
        assertEquals(List.of("notes.txt"), List.of(keep.toFile().list()));
    }

    @Test
    void anIdThatWouldLeaveTheStoreIsRefused() throws Exception {
        Path victim = foreignDirectory("victim");
        SnapshotStore store = new SnapshotStore(root.resolve("store"));
        for (String id : List.of("..", ".", "../victim", "a/b", "", "x\u0000y")) {
            assertThrows(IllegalArgumentException.class, () -> store.dir(id), id);
            assertEquals(java.util.Optional.empty(), store.read(id));
            assertFalse(store.removeIfAbandoned(id));
        }
        assertThrows(IllegalArgumentException.class, () -> store.delete("../victim"));
        assertTrue(Files.isRegularFile(victim.resolve("notes.txt")));
    }

    @Test
    void aVmWhoseNameCannotBeAPathGetsADirectoryInsideItsSnapshot() throws Exception {
        SnapshotStore store = new SnapshotStore(root);
        for (String vm : List.of("..", ".", "a/b", "../../etc", "web 1")) {
            Path part = store.partDir("s5", vm);
            assertEquals(store.dir("s5"), part.getParent(), vm);
            assertTrue(io.hotsnap.host.SafeName.isStrict(part.getFileName().toString()) || part.getFileName().toString().contains("~"), vm);
        }
        assertEquals(store.dir("s5").resolve("web1"), store.partDir("s5", "web1"));
        assertFalse(store.partDir("s5", "a/b").equals(store.partDir("s5", "a_b")));
    }

    /** The observation: one manifest replaced by "{" made the whole list fail. */
    @Test
    void oneCorruptManifestIsListedAsBrokenBesideTheGoodSnapshots() throws Exception {
        SnapshotStore store = new SnapshotStore(root);
        commit(store, "20260101-000000-0001");
        commit(store, "20260101-000000-0002");
        Files.writeString(store.dir("20260101-000000-0002").resolve(SnapshotStore.MANIFEST), "{");
        foreignDirectory("keep");

        StoreListing listing = store.listing();
        assertEquals(List.of("20260101-000000-0001"), listing.snapshots().stream().map(Manifest::id).toList());
        assertEquals(List.of("20260101-000000-0002", "keep"), listing.broken().stream().map(StoreListing.Broken::dir).toList());
        assertTrue(listing.broken().get(0).reason().startsWith("unreadable manifest.json"), listing.broken().get(0).reason());
        assertTrue(listing.broken().get(1).reason().startsWith("not a HotSnap snapshot"), listing.broken().get(1).reason());
        assertEquals(1, store.list().size());
    }

    @Test
    void aSnapshotInTheMakingIsNeitherASnapshotNorBroken() throws Exception {
        SnapshotStore store = new SnapshotStore(root);
        try (SnapshotStore.WorkLock lock = store.lock("s6")) {
            assertEquals(new StoreListing(List.of(), List.of()), store.listing());
        }
    }

    private static void commit(SnapshotStore store, String id) throws IOException {
        try (SnapshotStore.WorkLock lock = store.lock(id)) {
            store.commit(new Manifest(Manifest.VERSION, id, "host", 0, "hold", "copy", Manifest.COMMITTED, List.of()));
        }
    }

    /** A directory of the user's with a file, last changed five minutes ago. */
    private Path foreignDirectory(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        FileTime fiveMinutesAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
        Files.setLastModifiedTime(dir.resolve("notes.txt"), fiveMinutesAgo);
        Files.setLastModifiedTime(dir, fiveMinutesAgo);
        return dir;
    }
}
