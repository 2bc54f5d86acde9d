package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
        Files.createDirectories(store.partDir("s2", "vm1"));
        Files.writeString(store.partDir("s2", "vm1").resolve("memory.img"), "partial");
        // What a killed engine leaves: its lock file, with no process holding the lock.
        Files.createFile(store.dir("s2").resolve(".lock-0123456789abcdef"));
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
        Files.createDirectories(store.dir("s4"));
        assertEquals(List.of(), store.removeAbandoned());
    }
}
