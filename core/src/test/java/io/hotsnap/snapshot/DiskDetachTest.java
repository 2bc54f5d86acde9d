package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which disks a detach streams, from a {@code query-block} answer. */
class DiskDetachTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STORE = Path.of("/store");

    @Test
    void onlyDisksWhoseChainReachesIntoTheStoreAreStreamed() throws Exception {
        String block = """
                [{"device":"drive0","inserted":{"node-name":"#block391","file":"/vm/c-disk0-from-S.qcow2","backing_file":"/store/S/vm1/disk0.qcow2",
                  "image":{"filename":"/vm/c-disk0-from-S.qcow2","backing-image":{"filename":"/store/S/vm1/disk0.qcow2"}}}},
                 {"device":"drive1","inserted":{"node-name":"#block500","file":"/vm/data.raw","image":{"filename":"/vm/data.raw"}}},
                 {"device":"cd0"}]
                """;

        var streams = DiskDetach.plan("c", JSON.readTree(block), STORE);

        assertEquals(1, streams.size());
        assertEquals("drive0", streams.get(0).disk());
        assertEquals("#block391", streams.get(0).node());
        assertEquals(java.util.List.of("/store/S/vm1/disk0.qcow2"), streams.get(0).files());
    }

    @Test
    void aDiskWritingIntoTheStoreItselfIsRefusedAsItHasNoOverlayToStreamInto() throws Exception {
        String block = """
                [{"device":"","inserted":{"node-name":"ov0","file":"/store/S/vm1/virtio0.overlay.qcow2",
                  "image":{"filename":"/store/S/vm1/virtio0.overlay.qcow2","backing-image":{"filename":"/dev/loop3"}}}}]
                """;

        SnapshotException e = assertThrows(SnapshotException.class, () -> DiskDetach.plan("vm1", JSON.readTree(block), STORE));

        assertEquals(SnapshotException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("disk ov0 writes to /store/S/vm1/virtio0.overlay.qcow2"), e.getMessage());
    }
}
