package io.hotsnap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Snapshot IDs, restore IDs, VM and clone names become paths on the agent's host: refused where a request is decoded. */
class HostileNamesRequestTest {

    static Stream<String> hostileRequests() {
        return Stream.of(
                "{\"v\":1,\"type\":\"prepare\",\"id\":1,\"snapshotId\":\"..\",\"mode\":\"hold\",\"vms\":[\"a\"]}",
                "{\"v\":1,\"type\":\"prepare\",\"id\":1,\"snapshotId\":\"../../etc\",\"mode\":\"hold\",\"vms\":[\"a\"]}",
                "{\"v\":1,\"type\":\"prepare\",\"id\":1,\"snapshotId\":\"s1\",\"mode\":\"hold\",\"vms\":[\"a\\u0000b\"]}",
                "{\"v\":1,\"type\":\"abort\",\"id\":1,\"snapshotId\":\"/\"}",
                "{\"v\":1,\"type\":\"abort\",\"id\":1,\"snapshotId\":\".\"}",
                "{\"v\":1,\"type\":\"commit\",\"id\":1,\"snapshotId\":\"a/b\",\"manifest\":{}}",
                "{\"v\":1,\"type\":\"restore-load\",\"id\":1,\"restoreId\":\"../r\",\"snapshotId\":\"s1\",\"vms\":[{\"vm\":\"a\"}]}",
                "{\"v\":1,\"type\":\"restore-load\",\"id\":1,\"restoreId\":\"r1\",\"snapshotId\":\"s1\",\"vms\":[{\"vm\":\"a\",\"asClone\":\"../../x\"}]}",
                "{\"v\":1,\"type\":\"restore-preflight\",\"id\":1,\"snapshotId\":\"s1\",\"vms\":[{\"vm\":\"a\",\"asClone\":\"x\\ny\"}]}");
    }

    @ParameterizedTest
    @MethodSource("hostileRequests")
    void aNameThatIsAPathIsABadRequestInOneLine(String line) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> ProtocolCodec.decode(line));
        assertEquals(ProtocolException.BAD_REQUEST, e.code(), e.getMessage());
        assertEquals(1L, e.requestId());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
