package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VM names enter from the sources (a socket's file name) and from callers: a name no one could confirm on one line is refused. */
class VmSourcesNamesTest {

    @TempDir
    Path socketDir;

    @Test
    void aVmNamedWithAControlCharacterIsLeftOutOfTheListingWithTheReason() throws Exception {
        Files.createFile(socketDir.resolve("web.qmp"));
        Files.createFile(socketDir.resolve("db\nrm -rf.qmp"));
        VmSources.Listing listing = new VmSources(List.of(new SocketDirSource(socketDir))).list();
        assertEquals(List.of("web"), listing.vms().stream().map(VmRef::name).toList());
        assertEquals(1, listing.unavailable().size(), listing.unavailable().toString());
        assertTrue(listing.unavailable().get(0).startsWith("VM name 'db\\x0arm -rf' refused: it contains a control character"),
                listing.unavailable().get(0));
    }

    @Test
    void findingAVmByANameWithAControlCharacterIsRefusedInOneLine() throws Exception {
        Files.createFile(socketDir.resolve("db\nrm -rf.qmp"));
        VmSourceException e = assertThrows(VmSourceException.class,
                () -> new VmSources(List.of(new SocketDirSource(socketDir))).find("db\nrm -rf"));
        assertTrue(e.getMessage().contains("refused: it contains a control character"), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }
}
