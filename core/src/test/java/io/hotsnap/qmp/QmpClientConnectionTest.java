package io.hotsnap.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Connecting, timing out, closing and losing QEMU; each test has its own QEMU. */
@Timeout(60)
class QmpClientConnectionTest {

    private static final Timeouts TIMEOUTS = Timeouts.defaults();
    private static final Duration WAIT = TIMEOUTS.qmpCommand();
    /** How soon a dead QEMU must be noticed: an EOF, not a timeout. */
    private static final long PROMPTLY_MILLIS = 2000;

    @Test
    void qemuKilledUnderAPendingCommandFailsEverythingWithDisconnected() throws Exception {
        try (BareQemu qemu = BareQemu.start();
             QmpClient client = qemu.connect();
             QmpEventSubscription events = client.subscribe(e -> true, 8)) {
            qemu.freeze();
            CompletableFuture<JsonNode> pending = client.execute("query-status", null);
            CompletableFuture<Optional<QmpEvent>> waitingForEvent = CompletableFuture.supplyAsync(() -> events.poll(WAIT));

            qemu.kill();

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> pending.get(PROMPTLY_MILLIS, TimeUnit.MILLISECONDS));
            assertInstanceOf(QmpDisconnectedException.class, failed.getCause());
            ExecutionException closed = assertThrows(ExecutionException.class,
                    () -> client.closedFuture().get(PROMPTLY_MILLIS, TimeUnit.MILLISECONDS));
            assertInstanceOf(QmpDisconnectedException.class, closed.getCause());
            assertEquals(QmpState.DISCONNECTED, client.state());
            ExecutionException woken = assertThrows(ExecutionException.class,
                    () -> waitingForEvent.get(PROMPTLY_MILLIS, TimeUnit.MILLISECONDS));
            assertInstanceOf(QmpDisconnectedException.class, woken.getCause());
            assertThrows(QmpDisconnectedException.class, () -> client.call("query-status", null, WAIT));
        }
    }

    @Test
    void commandWithoutReplyTimesOutAndItsLateReplyIsIgnored() throws Exception {
        try (BareQemu qemu = BareQemu.start(); QmpClient client = qemu.connect()) {
            qemu.freeze();
            QmpTimeoutException e = assertThrows(QmpTimeoutException.class,
                    () -> client.call("query-status", null, Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("query-status"), e.getMessage());

            qemu.thaw();

            // The late query-status reply arrives first and must not be taken for this one.
            JsonNode options = client.call("query-command-line-options", Map.of("option", "machine"), WAIT);
            assertEquals("machine", options.get(0).get("option").asText());
            assertEquals(QmpState.RUNNING, client.state());
        }
    }

    @Test
    void closeFailsPendingCommandsAndEndsSubscriptions() throws Exception {
        try (BareQemu qemu = BareQemu.start()) {
            QmpClient client = qemu.connect();
            QmpEventSubscription events = client.subscribe(e -> true, 8);
            qemu.freeze();
            CompletableFuture<JsonNode> pending = client.execute("query-status", null);

            client.close();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(QmpDisconnectedException.class, failed.getCause());
            assertEquals(QmpState.DISCONNECTED, client.state());
            assertNull(client.closedFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertThrows(QmpDisconnectedException.class, () -> events.poll(WAIT));
            QmpStateException refused = assertThrows(QmpStateException.class, () -> client.execute("query-status", null));
            assertEquals(QmpState.DISCONNECTED, refused.actual());
        }
    }

    @Test
    void connectToMissingSocketFailsNamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("missing.qmp");
        QmpClient client = new QmpClient(missing, TIMEOUTS);

        QmpConnectException e = assertThrows(QmpConnectException.class, () -> client.connect(TIMEOUTS.qmpConnect()));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertEquals(QmpState.IDLE, client.state());
    }

    @Test
    void connectWithoutGreetingTimesOutAndCanBeRetried() throws Exception {
        try (BareQemu qemu = BareQemu.start(); QmpClient client = new QmpClient(qemu.qmpSocket(), TIMEOUTS)) {
            qemu.freeze();

            QmpConnectException e = assertThrows(QmpConnectException.class, () -> client.connect(Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains(qemu.qmpSocket().toString()) && e.getMessage().contains("within"),
                    e.getMessage());
            assertEquals(QmpState.IDLE, client.state());

            qemu.thaw();
            client.connect(TIMEOUTS.qmpConnect());
            assertEquals("prelaunch", client.call("query-status", null, WAIT).get("status").asText());
        }
    }

    @Test
    void connectToTheHumanMonitorInsteadOfQmpIsAProtocolError(@TempDir Path dir) throws Exception {
        Path hmp = dir.resolve("hmp.sock");
        try (BareQemu qemu = BareQemu.start("-monitor", "unix:" + hmp + ",server=on,wait=off")) {
            QmpClient client = new QmpClient(hmp, TIMEOUTS);

            QmpConnectException e = assertThrows(QmpConnectException.class, () -> client.connect(TIMEOUTS.qmpConnect()));

            assertInstanceOf(QmpProtocolException.class, e.getCause());
            assertEquals(QmpState.IDLE, client.state());
        }
    }
}
