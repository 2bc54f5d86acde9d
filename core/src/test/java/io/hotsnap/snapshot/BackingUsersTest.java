package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.SnapshotInUse;
import io.hotsnap.vm.VmSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as using a snapshot's files: a block graph's files and backing chains, and a process's open files. */
class BackingUsersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path storeDir;

    /** As QEMU 7.2 answers {@code query-named-block-nodes} for a restored clone: overlay over the snapshot's copy. */
    private static final String CLONE_NODES = """
            [{"node-name":"#block391","drv":"qcow2","file":"/var/lib/vm/c-disk0-from-S.qcow2","backing_file_depth":1,
              "image":{"filename":"/var/lib/vm/c-disk0-from-S.qcow2","format":"qcow2",
                       "backing-filename":"/store/S/vm1/disk0.qcow2","full-backing-filename":"/store/S/vm1/disk0.qcow2",
                       "backing-image":{"filename":"/store/S/vm1/disk0.qcow2","format":"qcow2"}}},
             {"node-name":"#block012","drv":"qcow2",
              "file":"json:{\\"driver\\":\\"qcow2\\",\\"file\\":{\\"driver\\":\\"file\\",\\"filename\\":\\"/store/T/vm2/disk1.qcow2\\"}}"},
             {"node-name":"#block100","drv":"file","file":"/var/lib/vm/other.raw"}]
            """;

    @Test
    void theBlockGraphsFilesIncludeEveryBackingFileAndThoseInsideJsonFilenames() throws Exception {
        List<String> files = BackingUsers.namedFiles(JSON.readTree(CLONE_NODES));

        assertEquals(List.of("/store/S/vm1/disk0.qcow2", "/store/T/vm2/disk1.qcow2", "/var/lib/vm/c-disk0-from-S.qcow2",
                "/var/lib/vm/other.raw"), files);
        assertEquals(List.of("/store/S/vm1/disk0.qcow2"), BackingUsers.namedFilesUnder(JSON.readTree(CLONE_NODES), Path.of("/store/S")));
    }

    @Test
    void aFileIsUnderTheSnapshotByItsPathNotByItsSpelling() {
        assertTrue(BackingUsers.under("/store/S/vm1/../vm1/disk0.qcow2", Path.of("/store/S")));
        assertFalse(BackingUsers.under("/store/S2/vm1/disk0.qcow2", Path.of("/store/S")));
        assertFalse(BackingUsers.under("/store/S/../T/disk0.qcow2", Path.of("/store/S")));
        assertFalse(BackingUsers.under("/dev/fdset/3", Path.of("/store/S")));
    }

    @Test
    void aProcessHoldingASnapshotFileOpenIsNamedWithTheFile() throws Exception {
        SnapshotStore store = new SnapshotStore(storeDir);
        try (SnapshotInUse inUse = SnapshotInUse.in(store, "s1")) {
            List<SnapshotUser> users = new BackingUsers(new VmSources(List.of()), Timeouts.defaults()).of(store.dir("s1"));

            assertEquals(List.of(new SnapshotUser("process " + inUse.holder().pid() + " (sleep)", List.of(inUse.diskCopy().toString()))),
                    users);
        }
        Files.createDirectories(store.dir("s2"));
        assertEquals(List.of(), new BackingUsers(new VmSources(List.of()), Timeouts.defaults()).of(store.dir("s2")));
    }
}
