package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code list}, {@code show}, {@code delete}, {@code restore} on a store that holds more than whole snapshots, and hostile names. */
class StoreCommandsTest {

    private static final String GOOD = "20260101-000000-0001";
    private static final String CORRUPT = "20260101-000000-0002";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HotsnapCli cli = new HotsnapCli(
            new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
            AgentConnector.localOnly(Timeouts.defaults()));

    private int run(String... words) {
        return cli.run(List.of(words));
    }

    private String errLine() {
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), "expected exactly one line on stderr, got: " + text);
        return text.strip();
    }

    /** The observation: one manifest.json replaced by "{" made 'hotsnap list' fail as a whole. */
    @Test
    void listShowsTheGoodSnapshotsAndEachBrokenEntryWithItsReason() throws Exception {
        brokenStore();
        assertEquals(0, run("list", "--store", dir.toString()));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith(GOOD + "  committed"), lines.get(0));
        assertTrue(lines.get(1).startsWith(CORRUPT + "  broken    unreadable manifest.json"), lines.get(1));
        assertTrue(lines.get(2).startsWith("keep  broken    not a HotSnap snapshot"), lines.get(2));
    }

    @Test
    void listAsJsonNamesTheBrokenEntriesBesideTheSnapshots() throws Exception {
        brokenStore();
        assertEquals(0, run("list", "--json", "--store", dir.toString()));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(GOOD, json.path("snapshots").path(0).path("id").asText());
        assertEquals(1, json.path("snapshots").size());
        assertEquals(CORRUPT, json.path("broken").path(0).path("dir").asText());
        assertTrue(json.path("broken").path(0).path("reason").asText().startsWith("unreadable manifest.json"));
        assertEquals("keep", json.path("broken").path(1).path("dir").asText());
    }

    @Test
    void showOfACorruptSnapshotSaysSoInOneLine() throws Exception {
        brokenStore();
        assertEquals(ExitCode.CONFLICT.code(), run("show", CORRUPT, "--store", dir.toString()));
        assertTrue(errLine().contains("is broken: unreadable manifest.json"), errLine());
    }

    @Test
    void deleteOfADirectoryHotsnapDidNotMakeIsRefusedAndRemovesNothing() throws Exception {
        brokenStore();
        assertEquals(ExitCode.CONFLICT.code(), run("delete", "keep", "--store", dir.toString()));
        assertTrue(errLine().startsWith("hotsnap: no snapshot 'keep'"), errLine());
        assertEquals("mine", Files.readString(dir.resolve("keep/notes.txt")));
    }

    @Test
    void persistentWithoutACloneIsRefusedInOneLine() throws Exception {
        assertEquals(ExitCode.USAGE.code(), run("restore", GOOD, "--persistent", "--store", dir.toString()));
        assertEquals("hotsnap: --persistent is for a clone (--as-clone NAME): in place, a domain stays as persistent as it is", errLine());
    }

    @Test
    void idsAndNamesThatArePathsAreRefusedWithOneLineBeforeAnythingIsTouched() throws Exception {
        brokenStore();
        Files.writeString(dir.resolve(GOOD).resolve("x"), "x");
        for (String[] words : List.of(
                new String[] {"delete", "..", "--store", dir.resolve("keep").toString()},
                new String[] {"show", "../" + GOOD, "--store", dir.resolve("keep").toString()},
                new String[] {"restore", GOOD, "--as-clone", "../evil", "--store", dir.toString()},
                new String[] {"restore", GOOD, "--vms", "a\u0001b", "--store", dir.toString()},
                new String[] {"snapshot", "--vms", "lab\nrm", "--store", dir.toString()})) {
            err.reset();
            assertEquals(ExitCode.USAGE.code(), run(words), String.join(" ", words));
            assertTrue(errLine().contains("refused"), errLine());
        }
        assertEquals("mine", Files.readString(dir.resolve("keep/notes.txt")));
        assertTrue(Files.isRegularFile(dir.resolve(GOOD).resolve(SnapshotStore.MANIFEST)));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    /** One good snapshot, one whose manifest is "{", and a directory of the user's. */
    private void brokenStore() throws Exception {
        SnapshotStore store = new SnapshotStore(dir);
        for (String id : List.of(GOOD, CORRUPT)) {
            try (SnapshotStore.WorkLock lock = store.lock(id)) {
                store.commit(new Manifest(Manifest.VERSION, id, "host", 0, "hold", "copy", Manifest.COMMITTED, List.of()));
            }
        }
        Files.writeString(store.dir(CORRUPT).resolve(SnapshotStore.MANIFEST), "{");
        Files.createDirectories(dir.resolve("keep"));
        Files.writeString(dir.resolve("keep/notes.txt"), "mine");
    }
}
