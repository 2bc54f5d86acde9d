package io.hotsnap.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** Commands against one real, paused QEMU: replies, QEMU's errors, matching under concurrency, typed commands. */
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

    // --- typed commands: arguments as QEMU reads them, replies read into the QAPI records ---

    @Test
    void queryStatusIsReadIntoStatusInfo() {
        StatusInfo status = client.call(QmpCommands.queryStatus(), WAIT);

        assertEquals("prelaunch", status.status());
        assertFalse(status.running());
    }

    @Test
    void aVmNeverMigratedHasMigrationStatusNoneAndNoFigures() {
        MigrationInfo info = client.call(QmpCommands.queryMigrate(), WAIT);

        assertEquals("none", info.statusOrNone());
        assertNull(info.ramOrEmpty().total());
        assertNull(info.errorDesc());
    }

    @Test
    void capabilitiesSetAreReadBackAsSet() {
        client.call(QmpCommands.migrateSetCapabilities(List.of(new MigrationCapabilityStatus("events", true))), WAIT);

        List<MigrationCapabilityStatus> caps = client.call(QmpCommands.queryMigrateCapabilities(), WAIT);

        assertTrue(caps.contains(new MigrationCapabilityStatus("events", true)), caps.toString());
        assertTrue(caps.stream().anyMatch(c -> c.capability().equals("background-snapshot")), caps.toString());
    }

    @Test
    void maxBandwidthSetIsReadBackAndUnsetParametersAreNotSent() {
        client.call(QmpCommands.migrateSetParameters(new MigrationParameters(12_345_678L)), WAIT);

        assertEquals(12_345_678L, client.call(QmpCommands.queryMigrateParameters(), WAIT).maxBandwidth());
        assertFalse(new ObjectMapper().valueToTree(new MigrationParameters(null)).has("max-bandwidth"));
    }

    @Test
    void noBlockJobsIsAnEmptyList() {
        assertEquals(List.of(), client.call(QmpCommands.queryBlockJobs(), WAIT));
    }

    @Test
    void typedExecuteCompletesWithTheReadReply() throws Exception {
        assertEquals("prelaunch", client.execute(QmpCommands.queryStatus(), WAIT).get().status());
    }

    @Test
    void qemusRefusalOfATypedCommandIsItsExecuteError() {
        QmpExecuteException e = assertThrows(QmpExecuteException.class, () -> client.call(QmpCommands.blockJobCancel("no-such-job", true), WAIT));

        assertEquals("block-job-cancel", e.command());
    }

    @Test
    void aReplyThatDoesNotFitItsRecordIsAProtocolError() {
        QmpCommand<MemoryInfo> misread = QmpCommand.of("query-migrate-capabilities", null, MemoryInfo.class);

        assertThrows(QmpProtocolException.class, () -> client.call(misread, WAIT));
    }

    @Test
    void eventDataIsReadIntoItsRecordIgnoringMembersItDoesNotName() throws Exception {
        QmpEvent completed = new QmpEvent(BlockJobEvent.COMPLETED, new ObjectMapper().readTree(
                "{\"type\":\"backup\",\"device\":\"job0\",\"len\":10,\"offset\":10,\"speed\":0,\"error\":\"No space left\"}"), 1);

        assertEquals(new BlockJobEvent("job0", "No space left"), BlockJobEvent.of(completed));
        assertTrue(BlockJobEvent.is(completed, BlockJobEvent.COMPLETED, "job0"));
        assertFalse(BlockJobEvent.is(completed, BlockJobEvent.COMPLETED, "job1"));
        assertFalse(BlockJobEvent.is(completed, BlockJobEvent.READY, "job0"));
    }
}
