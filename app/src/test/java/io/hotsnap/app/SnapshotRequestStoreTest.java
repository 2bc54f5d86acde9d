package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.snapshot.DiskMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's Store field: a path each host resolves on its own, so a typo must not land somewhere unexpected. */
class SnapshotRequestStoreTest {

    private static String problem(String store) {
        return new SnapshotRequest(ClusterMode.HOLD, DiskMode.COPY, store).storeProblem();
    }

    @Test
    void aRelativeOrNonPlainStoreIsRefusedWithOneLine() {
        for (String bad : List.of("srv/snap", "~/snap", "/srv/../etc", "/srv/./snap", "//srv", "/srv/sn\u0001ap")) {
            String why = problem(bad);
            assertTrue(why != null && why.contains("refused") && why.lines().count() == 1, bad + ": " + why);
        }
        String text = new SnapshotRequest(ClusterMode.HOLD, DiskMode.COPY, "srv/snap").confirmation(List.of());
        assertTrue(text.contains("Store 'srv/snap' refused: give an absolute path"), text);
    }

    @Test
    void theDefaultAndAPlainAbsolutePathAreAccepted() {
        assertNull(problem(""));
        assertNull(problem(null));
        assertNull(problem("/srv/snapshots"));
        assertNull(problem("/srv/snapshots/"));
        assertNull(problem("/"));
    }
}
