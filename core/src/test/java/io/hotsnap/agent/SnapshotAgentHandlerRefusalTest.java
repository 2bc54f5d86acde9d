package io.hotsnap.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.restore.RestoreChoice;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.FakeQemu;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the snapshot agent refuses before touching anything: a second {@code prepare} of one id
 * (against a QMP socket that never greets: slow enough to race), a capture window past the cap.
 */
@Timeout(60)
class SnapshotAgentHandlerRefusalTest {

    private static final Duration GREETING_WAIT = Duration.ofSeconds(3);

    @TempDir
    Path socketDir;
    @TempDir
    Path storeDir;

    @Test
    void secondPrepareOfOneSnapshotIdIsRefusedAtOnceWhileTheFirstRuns() throws Exception {
        try (FakeQemu mute = FakeQemu.mute(socketDir.resolve("web.qmp"))) {
            Timeouts defaults = Timeouts.defaults();
            Timeouts timeouts = new Timeouts(GREETING_WAIT, defaults.qmpCommand(), defaults.pausedDeadline(), defaults.guestBoot(),
                    defaults.vmQuitGrace());
            SnapshotAgentHandler handler = new SnapshotAgentHandler(socketDir, timeouts, (kind, vm, at, data) -> { });
            RoutedHandler routes = new RoutedHandler(handler);
            Request.Prepare prepare = new Request.Prepare("s1", "hold", List.of("web"), storeDir.toString(), "none");
            CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> routes.answer(prepare));
            await("the first prepare is under way").atMost(GREETING_WAIT).until(handler::awaitsCoordinator);
            assertFalse(first.isDone(), "the first prepare should wait for the mute socket: " + first);

            long askedAt = System.nanoTime();
            ProtocolException second = assertThrows(ProtocolException.class, () -> routes.answer(prepare));

            assertTrue(System.nanoTime() - askedAt < Duration.ofSeconds(1).toNanos(), "the second prepare waited too");
            assertEquals(ProtocolException.BUSY, second.code());
            assertEquals("snapshot s1 is being prepared already", second.getMessage());
            assertTrue(handler.awaitsCoordinator(), "a prepare under way awaits the coordinator");
            assertThrows(CompletionException.class, first::join);
            assertFalse(handler.awaitsCoordinator(), "a failed prepare leaves nothing awaiting");
        }
    }

    @Test
    void restoreLoadAskingADayLongCaptureIsRefusedBeforeAnythingIsTouched() {
        SnapshotAgentHandler handler = new SnapshotAgentHandler(socketDir, Timeouts.defaults(), (kind, vm, at, data) -> { });
        RoutedHandler routes = new RoutedHandler(handler);

        ProtocolException refused = assertThrows(ProtocolException.class, () -> routes.answer(new Request.RestoreLoad("r1", "s1",
                storeDir.toString(), List.of(RestoreChoice.asClone("web", "web-clone")), Duration.ofDays(1).toMillis())));

        assertEquals(ProtocolException.BAD_REQUEST, refused.code());
        assertEquals("a capture window of 86400000 ms is refused: this agent allows at most 60000 ms", refused.getMessage());
        assertFalse(handler.awaitsCoordinator());
    }
}
