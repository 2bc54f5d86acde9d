package io.hotsnap.restore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.Lab;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.LocalSnapshots;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotMode;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.Clones;
import io.hotsnap.testing.GuestDisk;
import io.hotsnap.testing.OwnLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observed failure of issue 17: {@code restore --as-clone}, then {@code delete} went through and
 * left the running clone on a deleted backing file. Now the delete is refused naming the clone;
 * {@code detach} makes the clone independent while it runs; then the delete works and the clone
 * runs on, its disk chain whole.
 */
class DeleteDetachIT {

    private static final Timeouts TIMEOUTS = Timeouts.defaults();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLONE = "dlclone";
    @RegisterExtension
    static final OwnLab OWN_LAB = OwnLab.of("dl", "hsbr-dl", "10.58.0", 1, 0);
    private static final Lab LAB = OWN_LAB.lab();

    @TempDir
    Path storeDir;

    @Test
    void deleteIsRefusedWhileARestoredCloneRunsOnTheSnapshotAndWorksAfterDetachWhileTheCloneRunsOn() throws Exception {
        Manifest m = new LocalSnapshots(LAB.config().socketDir(), new SnapshotStore(storeDir), TIMEOUTS)
                .take(List.of("dl1"), SnapshotMode.HOTSNAP, DiskMode.COPY, e -> { });
        String store = storeDir.toString();
        try {
            CliRun restored = CliRun.of("restore", m.id(), "--as-clone", CLONE, "--store", store);
            assertEquals(0, restored.code(), restored.err());
            Path overlay = cloneOverlay();
            assertTrue(backingChain(overlay).contains(storeDir.toString()), "the clone runs on the snapshot's copy");

            CliRun refused = CliRun.of("delete", m.id(), "--store", store);

            assertEquals(3, refused.code(), refused.err());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertTrue(refused.err().contains(CLONE + " (") && refused.err().contains("disk0.qcow2"), refused.err());
            assertTrue(new SnapshotStore(storeDir).read(m.id()).isPresent(), "nothing deleted");

            CliRun detached = CliRun.of("detach", CLONE, "--store", store, "--json");

            assertEquals(0, detached.code(), detached.err());
            assertEquals(1, detached.json().path("detached").size(), detached.out());
            assertFalse(backingChain(overlay).contains(storeDir.toString()), "the clone's chain no longer names the store");

            CliRun deleted = CliRun.of("delete", m.id(), "--store", store);

            assertEquals(0, deleted.code(), deleted.err());
            assertFalse(Files.exists(storeDir.resolve(m.id())));
            assertEquals("running", runState(LAB.config().socketDir().resolve(CLONE + ".qmp")));
            // The guest goes on writing its tick to its disk, and the disk reads whole without the snapshot.
            long tick = GuestDisk.tickInSectorZero(overlay);
            await("the clone writes its disk after tick " + tick).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> GuestDisk.tickInSectorZero(overlay) > tick);
            assertEquals(0, HostCommand.run(List.of("qemu-img", "check", "-U", overlay.toString()), Duration.ofSeconds(30)).exitCode(),
                    "qemu-img check of the clone's disk");
        } finally {
            Clones.remove(CLONE, LAB.config().socketDir(), LAB.config().dir());
        }
    }

    private static Path cloneOverlay() throws Exception {
        try (var overlays = Files.newDirectoryStream(LAB.config().dir(), CLONE + "-*-from-*.qcow2")) {
            return overlays.iterator().next();
        }
    }

    /** {@code qemu-img info --backing-chain -U}, which fails on a chain with a missing file. */
    private static String backingChain(Path overlay) throws Exception {
        HostCommand.Result r = HostCommand.run(List.of("qemu-img", "info", "--backing-chain", "-U", "--output=json", overlay.toString()),
                Duration.ofSeconds(30));
        assertEquals(0, r.exitCode(), "qemu-img info --backing-chain: " + r.stderr());
        JsonNode chain = JSON.readTree(r.stdout());
        return chain.toString();
    }

    private static String runState(Path qmp) {
        try (QmpClient c = new QmpClient(qmp, TIMEOUTS)) {
            c.connect(TIMEOUTS.qmpConnect());
            return c.call("query-status", null, TIMEOUTS.qmpCommand()).path("status").asText();
        }
    }
}
