package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restore runs a snapshot's command line as root: a store others can write, or a part that is not what its part.json says, is refused. */
class StoreTrustTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path storeDir;
    private Path partDir;
    private VmPart part;

    @BeforeEach
    void part() throws Exception {
        partDir = Files.createDirectories(storeDir.resolve("20260101-000000-0001/web"));
        part = part(List.of("qemu-system-x86_64", "-name", "web"));
        Files.write(partDir.resolve(SnapshotStore.PART), JSON.writeValueAsBytes(part));
    }

    private static VmPart part(List<String> cmdline) {
        return new VmPart("web", "7.2.0", cmdline, "/run/hotsnap/web.qmp", 4096, new SnapshotFile("memory.bin", 4096, "ab"),
                List.of(new DiskCopy("disk0", "web-disk0", "/var/lib/web.qcow2", "qcow2", 1 << 20, new SnapshotFile("disk0.qcow2", 1024, "cd"))),
                1, 2, 3, 4, "6.1.0", null);
    }

    @Test
    void aPrivateStoreWhosePartAgreesWithItsPartJsonIsGreen() {
        List<PreflightCheck> checks = StoreTrust.checks(partDir, part);
        assertEquals(List.of(PreflightCheck.OWNERSHIP, PreflightCheck.PART_RECORD), checks.stream().map(PreflightCheck::check).toList());
        assertTrue(checks.stream().allMatch(PreflightCheck::ok), checks.toString());
    }

    @Test
    void aStoreOrSnapshotWritableByOthersIsRed() throws Exception {
        Files.setPosixFilePermissions(storeDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        PreflightCheck store = StoreTrust.checks(partDir, part).get(0);
        assertFalse(store.ok());
        assertTrue(store.detail().startsWith(storeDir + " is writable by others (mode 777)"), store.detail());

        Files.setPosixFilePermissions(storeDir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(partDir.getParent(), PosixFilePermissions.fromString("rwxrwx---"));
        PreflightCheck snapshot = StoreTrust.checks(partDir, part).get(0);
        assertFalse(snapshot.ok());
        assertTrue(snapshot.detail().startsWith(partDir.getParent() + " is writable by its group (mode 770)"), snapshot.detail());
    }

    @Test
    void aSnapshotOwnedByAnotherUserIsRed() throws Exception {
        Files.setAttribute(partDir.getParent(), "unix:uid", 65534);
        PreflightCheck owner = StoreTrust.checks(partDir, part).get(0);
        assertFalse(owner.ok());
        assertTrue(owner.detail().contains(partDir.getParent() + " is owned by uid 65534"), owner.detail());
    }

    @Test
    void aManifestWhosePartDisagreesWithItsPartJsonIsRed() throws Exception {
        VmPart swapped = part(List.of("qemu-system-x86_64", "-name", "web", "-plugin", "/tmp/evil.so"));
        PreflightCheck record = StoreTrust.checks(partDir, swapped).get(1);
        assertFalse(record.ok());
        assertEquals(partDir.resolve(SnapshotStore.PART) + " disagrees with the manifest on cmdline", record.detail());

        Files.writeString(partDir.resolve(SnapshotStore.PART), "{");
        assertFalse(StoreTrust.checks(partDir, part).get(1).ok());
        Files.delete(partDir.resolve(SnapshotStore.PART));
        assertTrue(StoreTrust.checks(partDir, part).get(1).detail().startsWith("cannot read "));
    }
}
