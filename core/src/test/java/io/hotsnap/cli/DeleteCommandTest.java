package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.SnapshotInUse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hotsnap delete} never pulls files from under what runs on them; {@code detach} refuses what it cannot find. */
class DeleteCommandTest {

    @TempDir
    Path storeDir;

    @Test
    void deleteOfASnapshotWhoseFilesAreInUseIsRefusedNamingTheUserAndDeletesNothing() throws Exception {
        SnapshotStore store = new SnapshotStore(storeDir);
        try (SnapshotInUse inUse = SnapshotInUse.in(store, "s1")) {
            CliRun refused = CliRun.of("delete", "s1", "--store", storeDir.toString());

            assertEquals(ExitCode.CONFLICT.code(), refused.code(), refused.err());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertTrue(refused.err().contains("process " + inUse.holder().pid() + " (sleep)"), refused.err());
            assertTrue(refused.err().contains(inUse.diskCopy().toString()), refused.err());
            assertTrue(refused.err().contains("hotsnap detach"), refused.err());
            assertTrue(Files.exists(inUse.diskCopy()) && store.read("s1").isPresent(), "nothing deleted");
        }
        CliRun deleted = CliRun.of("delete", "s1", "--store", storeDir.toString(), "--json");

        assertEquals(0, deleted.code(), deleted.err());
        assertEquals("s1", deleted.json().path("deleted").asText());
        assertFalse(Files.exists(store.dir("s1")));
    }

    @Test
    void detachOfAnUnknownVmIsOneLineAndAConflict() {
        CliRun r = CliRun.of("detach", "no-such-vm-dl", "--store", storeDir.toString());

        assertEquals(ExitCode.CONFLICT.code(), r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("unknown VM 'no-such-vm-dl'"), r.err());
    }
}
