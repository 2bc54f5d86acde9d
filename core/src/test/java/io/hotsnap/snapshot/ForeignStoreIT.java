package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.VmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observations, through the real {@code hotsnap} commands on a real lab VM: a store
 * given as a directory with data of its own ({@code keep/}, a file five minutes old, mode 755)
 * keeps that data and its mode through a snapshot, a list with a corrupt manifest and a delete.
 */
class ForeignStoreIT {

    @RegisterExtension
    static final OwnLab OWN_LAB = OwnLab.of("st", "hsbr-st", "10.95.0", 1, 0);

    @TempDir
    Path home;

    @Test
    void aStoreWithDataOfItsOwnKeepsItAndItsModeThroughSnapshotListAndDelete() throws Exception {
        Path store = Files.createDirectories(home.resolve("data"));
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path keep = Files.createDirectories(store.resolve("keep"));
        Files.writeString(keep.resolve("notes.txt"), "mine");
        FileTime fiveMinutesAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
        Files.setLastModifiedTime(keep.resolve("notes.txt"), fiveMinutesAgo);
        Files.setLastModifiedTime(keep, fiveMinutesAgo);
        String vm = OWN_LAB.lab().status().get(0).name();

        CliRun snapshot = CliRun.of("snapshot", "--vms", vm, "--store", store.toString(), "--json");
        assertEquals(0, snapshot.code(), snapshot.err());
        String id = snapshot.json().path("id").asText();

        assertEquals("mine", Files.readString(keep.resolve("notes.txt")), "keep/ was removed");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)), "the store's mode was changed");
        assertFalse(Files.exists(store.resolve(SnapshotStore.MARKER)), "a marker in a directory HotSnap did not make");
        assertTrue(Files.isRegularFile(store.resolve(id).resolve(SnapshotStore.MARKER)), "the snapshot's directory is not marked");

        Path corrupt = Files.createDirectories(store.resolve("20260101-000000-0002"));
        Files.writeString(corrupt.resolve(SnapshotStore.MANIFEST), "{");
        CliRun list = CliRun.of("list", "--store", store.toString(), "--json");
        assertEquals(0, list.code(), list.err());
        JsonNode listed = list.json();
        assertEquals(List.of(id), listed.path("snapshots").findValuesAsText("id"));
        assertEquals(List.of("20260101-000000-0002", "keep"), listed.path("broken").findValuesAsText("dir"), listed.toString());

        CliRun refused = CliRun.of("delete", "..", "--store", keep.toString());
        assertEquals(io.hotsnap.cli.ExitCode.USAGE.code(), refused.code(), refused.err());
        CliRun deleted = CliRun.of("delete", id, "--store", store.toString());
        assertEquals(0, deleted.code(), deleted.err());
        assertFalse(Files.exists(store.resolve(id)));
        assertEquals("mine", Files.readString(keep.resolve("notes.txt")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));

        for (LabVmStatus status : OWN_LAB.lab().status()) {
            VmProbe probe = VmProbe.of(Path.of(status.qmp()));
            assertTrue(probe.runningAndClean(), status.name() + ": " + probe);
        }
    }
}
