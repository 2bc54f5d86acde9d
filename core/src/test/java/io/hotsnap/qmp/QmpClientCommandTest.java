package io.hotsnap.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Commands against one real, paused QEMU: replies, QEMU's errors, matching under concurrency. */
@Timeout(60)
class QmpClientCommandTest {

    private static final Duration WAIT = Timeouts.defaults().qmpCommand();

    private static BareQemu qemu;
    private static QmpClient client;

    @BeforeAll
    static void startQemu() throws IOException {
        qemu = BareQemu.start();
        client = qemu.connect();
    }

    @AfterAll
    static void stopQemu() throws IOException {
        if (client != null) {
            client.close();
        }
        if (qemu != null) {
            qemu.close();
        }
    }

    @Test
    void greetingAnnouncesTheVersionOfTheInstalledQemu() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("qemu-system-x86_64", "--version").redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();

        QmpVersion version = client.version();
        assertTrue(printed.startsWith("QEMU emulator version " + version + " "), printed);
        assertTrue(printed.contains(version.packageName()), printed);
        assertEquals(QmpState.RUNNING, client.state());
    }

    @Test
    void queryStatusReportsAVmThatWasNeverStarted() {
        JsonNode status = client.call("query-status", null, WAIT);

        assertEquals("prelaunch", status.get("status").asText());
        assertFalse(status.get("running").asBoolean());
    }

    @Test
    void unknownCommandFailsWithQemusCommandNotFound() {
        QmpExecuteException e = assertThrows(QmpExecuteException.class,
                () -> client.call("no-such-command", null, WAIT));

        assertEquals("CommandNotFound", e.errorClass());
        assertEquals("The command no-such-command has not been found", e.description());
        assertEquals("no-such-command", e.command());
    }

    @Test
    void unexpectedArgumentFailsWithQemusGenericErrorAndChangesNothing() {
        QmpExecuteException e = assertThrows(QmpExecuteException.class,
                () -> client.call("stop", Map.of("force", true), WAIT));

        assertEquals("GenericError", e.errorClass());
        assertEquals("Parameter 'force' is unexpected", e.description());
        assertEquals("prelaunch", client.call("query-status", null, WAIT).get("status").asText());
    }

    @Test
    void concurrentCommandsFromManyThreadsEachGetTheirOwnReply() throws Exception {
        int threads = 8;
        int perThread = 50;
        List<String> options = List.of("machine", "drive", "netdev", "chardev", "object", "smp-opts");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(pool.submit(() -> {
                    go.await();
                    // Both reply kinds echo something of the request, so a mix-up cannot go unseen.
                    List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        replies.add(i % 2 == 0
                                ? client.execute("query-command-line-options", Map.of("option", options.get(i % options.size())))
                                : client.execute("no-such-command-" + thread + "-" + i, null));
                    }
                    for (int i = 0; i < perThread; i++) {
                        if (i % 2 == 0) {
                            JsonNode reply = replies.get(i).get();
                            assertEquals(options.get(i % options.size()), reply.get(0).get("option").asText());
                        } else {
                            int index = i;
                            ExecutionException e = assertThrows(ExecutionException.class, () -> replies.get(index).get());
                            QmpExecuteException refused = assertInstanceOf(QmpExecuteException.class, e.getCause());
                            assertEquals("The command no-such-command-" + thread + "-" + i + " has not been found",
                                    refused.description());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> sender : senders) {
                sender.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void commandsBeforeConnectAreRefusedNamingActualAndRequiredState() {
        QmpClient unconnected = new QmpClient(qemu.qmpSocket(), Timeouts.defaults());

        QmpStateException e = assertThrows(QmpStateException.class, () -> unconnected.execute("query-status", null));
        assertEquals(QmpState.IDLE, e.actual());
        assertEquals(QmpState.RUNNING, e.required());
        assertTrue(e.getMessage().contains("IDLE") && e.getMessage().contains("RUNNING"), e.getMessage());
    }

    @Test
    void connectingAConnectedClientAgainIsRefused() {
        QmpStateException e = assertThrows(QmpStateException.class, () -> client.connect(WAIT));

        assertEquals(QmpState.RUNNING, e.actual());
        assertEquals(QmpState.IDLE, e.required());
        assertEquals(QmpState.RUNNING, client.state());
    }
}
