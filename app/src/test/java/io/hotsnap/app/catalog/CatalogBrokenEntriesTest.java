package io.hotsnap.app.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.app.engine.HostSession;
import io.hotsnap.coordinator.LocalAgentLink;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's catalog of a store holding a corrupt manifest and a directory of the user's, as a real (child) agent lists it. */
class CatalogBrokenEntriesTest {

    private static final String GOOD = "20260101-000000-0001";
    private static final String CORRUPT = "20260101-000000-0002";

    @TempDir
    Path storeDir;

    /** The observation: one manifest.json replaced by "{" made the whole catalog fail. */
    @Test
    void aBrokenEntryIsARowSayingWhyBesideTheGoodSnapshot() throws Exception {
        SnapshotStore store = new SnapshotStore(storeDir);
        for (String id : List.of(GOOD, CORRUPT)) {
            try (SnapshotStore.WorkLock lock = store.lock(id)) {
                store.commit(new Manifest(Manifest.VERSION, id, "host", 0, "hold", "copy", Manifest.COMMITTED, List.of()));
            }
        }
        Files.writeString(store.dir(CORRUPT).resolve(SnapshotStore.MANIFEST), "{");
        Files.createDirectories(storeDir.resolve("keep"));

        try (HostSession host = new HostSession("local", LocalAgentLink.start(Timeouts.defaults()))) {
            List<CatalogRow> rows = CatalogViewModel.list(List.of(host), List.of(storeDir.toString()));

            assertEquals(List.of(GOOD, CORRUPT, "keep"), rows.stream().map(CatalogRow::id).toList());
            assertFalse(rows.get(0).broken());
            assertEquals("committed", rows.get(0).status());
            assertTrue(rows.get(1).broken());
            assertTrue(rows.get(1).status().startsWith("broken: unreadable manifest.json"), rows.get(1).status());
            assertEquals("local", rows.get(1).hosts());
            assertFalse(rows.get(1).replayable());
            assertTrue(rows.get(2).status().startsWith("broken: not a HotSnap snapshot"), rows.get(2).status());
        }
    }
}
