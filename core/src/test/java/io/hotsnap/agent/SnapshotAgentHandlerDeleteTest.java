package io.hotsnap.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.Envelope;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.testing.SnapshotInUse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's {@code delete}: what the console and remote hosts reach, refusing as {@code hotsnap delete} does. */
class SnapshotAgentHandlerDeleteTest {

    @TempDir
    Path socketDir;
    @TempDir
    Path storeDir;

    private RoutedHandler routes;

    @BeforeEach
    void handler() {
        routes = new RoutedHandler(new SnapshotAgentHandler(socketDir, Timeouts.defaults(), (kind, vm, at, data) -> { }));
    }

    @Test
    void deleteOfASnapshotInUseIsRefusedNamingTheUserThenDeletesOnceItIsFree() throws Exception {
        SnapshotStore store = new SnapshotStore(storeDir);
        try (SnapshotInUse inUse = SnapshotInUse.in(store, "s1")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> routes.answer(new Request.Delete("s1", storeDir.toString())));

            assertEquals(ProtocolException.FAILED, e.code());
            assertTrue(e.getMessage().contains("process " + inUse.holder().pid() + " (sleep)"), e.getMessage());
            assertTrue(Files.exists(inUse.diskCopy()) && store.read("s1").isPresent(), "nothing deleted");
        }

        assertEquals(Map.of("deleted", "s1"), routes.answer(new Request.Delete("s1", storeDir.toString())));
        assertFalse(Files.exists(store.dir("s1")));
    }

    @Test
    void deleteAndDetachTravelAsRequestsOfTheirOwn() throws Exception {
        Envelope delete = new Envelope(5, new Request.Delete("s1", "/store"));
        Envelope detach = new Envelope(6, new Request.Detach("clone1", null));

        assertEquals(delete, ProtocolCodec.decode(ProtocolCodec.encode(delete)));
        assertEquals(detach, ProtocolCodec.decode(ProtocolCodec.encode(detach)));
        assertTrue(routes.capabilities().containsAll(java.util.List.of("delete", "detach")));
    }
}
