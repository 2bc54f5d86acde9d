package io.hotsnap.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.host.HostClock;
import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.InventoryResult;
import io.hotsnap.protocol.Message;
import io.hotsnap.protocol.PingResult;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.VmInventory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent in-process, over OS pipes: what it answers, what it refuses, how it ends. */
@Timeout(30)
class AgentTest {

    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path socketDir;

    private RecordingHandler handler;
    private OutputStream toAgent;
    private final BlockingQueue<String> fromAgent = new LinkedBlockingQueue<>();
    private final CountDownLatch agentEnded = new CountDownLatch(1);

    /** The host handler with an inventory of a temp dir, plus routes recording every snapshot-side call. */
    private static final class RecordingHandler implements AgentHandler {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch snapshotMayFinish = new CountDownLatch(1);
        final AtomicInteger coordinatorLost = new AtomicInteger();
        AgentEventSink events;

        private final HostAgentHandler host;

        RecordingHandler(Path socketDir) {
            host = new HostAgentHandler(new VmInventory(socketDir, Timeouts.defaults()));
        }

        @Override
        public void addRoutes(RequestRoutes routes) {
            host.addRoutes(routes);
            routes.on(Request.Prepare.class, this::prepare)
                    .on(Request.Snapshot.class, this::snapshot)
                    .on(Request.Commit.class, this::commit)
                    .on(Request.Release.class, this::release);
        }

        Object prepare(Request.Prepare request) {
            calls.add("prepare " + request.vms());
            events.emit(EventKind.STOP, "web", 1_000, Map.of("qemu", true));
            events.emit(EventKind.RESUME, "web", 4_000, null);
            return Map.of("prepared", request.vms());
        }

        Object snapshot(Request.Snapshot request) throws InterruptedException {
            calls.add("snapshot " + request.snapshotId());
            assertTrue(snapshotMayFinish.await(WAIT_SECONDS, TimeUnit.SECONDS));
            return null;
        }

        Object commit(Request.Commit request) {
            calls.add("commit");
            throw new IllegalStateException("disk full\nwhile writing the manifest");
        }

        Object release(Request.Release request) {
            calls.add("release");
            throw new ProtocolException("no-such-vm", "no VM named " + request.vms() + " is held");
        }

        @Override
        public void coordinatorLost() {
            calls.add("coordinatorLost");
            coordinatorLost.incrementAndGet();
        }
    }

    @BeforeEach
    void startAgent() throws IOException {
        handler = new RecordingHandler(socketDir);
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        toAgent = Channels.newOutputStream(in.sink());
        Agent agent = new Agent(Channels.newInputStream(in.source()), Channels.newOutputStream(out.sink()), sink -> {
            handler.events = sink;
            return handler;
        });
        Thread agentThread = new Thread(() -> {
            agent.run();
            agentEnded.countDown();
        }, "agent-under-test");
        agentThread.setDaemon(true);
        agentThread.start();
        Thread collector = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    fromAgent.add(line);
                }
            } catch (IOException e) {
                // The pipe closes with the test.
            }
        }, "agent-output");
        collector.setDaemon(true);
        collector.start();
    }

    @AfterEach
    void endInput() throws IOException {
        toAgent.close();
    }

    private void send(String line) throws IOException {
        toAgent.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toAgent.flush();
    }

    private Message next() throws InterruptedException {
        String line = fromAgent.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            fail("the agent wrote nothing within " + WAIT_SECONDS + " s");
        }
        return ProtocolCodec.decode(line);
    }

    private Reply.Ok nextOk(long id) throws InterruptedException {
        Reply.Ok ok = assertInstanceOf(Reply.Ok.class, next());
        assertEquals(id, ok.id());
        return ok;
    }

    private Reply.Error nextError() throws InterruptedException {
        return assertInstanceOf(Reply.Error.class, next());
    }

    private void assertStillServing() throws IOException, InterruptedException {
        send("{\"v\":1,\"type\":\"ping\",\"id\":999}");
        nextOk(999);
        assertEquals(List.of(), handler.calls, "the handler must not have been called");
    }

    @Test
    void helloAnnouncesVersionCapabilitiesQemuHostNameAndClock() throws Exception {
        long before = HostClock.wallMicros();
        send("{\"v\":1,\"type\":\"hello\",\"id\":1}");

        HelloResult hello = ProtocolCodec.resultAs(nextOk(1), HelloResult.class);

        assertEquals(1, hello.version());
        assertEquals(List.of("hello", "inventory", "ping", "prepare", "snapshot", "commit", "release", "shutdown"), hello.capabilities());
        assertEquals(HostClock.hostName(), hello.hostName());
        assertTrue(hello.hostTimeMicros() >= before && hello.hostTimeMicros() <= HostClock.wallMicros(), "clock: " + hello.hostTimeMicros());
        // The build host has QEMU (the QMP tests need it): its version must be found.
        assertEquals("qemu-system-x86_64", hello.qemu().get(0).binary());
        assertTrue(hello.qemu().get(0).version().matches("\\d+\\.\\d+\\.\\d+"), hello.qemu().toString());
    }

    @Test
    void pingAnswersTheAgentClockWhileASlowSnapshotIsStillRunning() throws Exception {
        send("{\"v\":1,\"type\":\"snapshot\",\"id\":1,\"snapshotId\":\"s1\"}");
        long sent = HostClock.wallMicros();
        send("{\"v\":1,\"type\":\"ping\",\"id\":2}");

        PingResult pong = ProtocolCodec.resultAs(nextOk(2), PingResult.class);
        assertTrue(pong.agentTimeMicros() >= sent && pong.agentTimeMicros() <= HostClock.wallMicros(), "agent clock: " + pong);

        handler.snapshotMayFinish.countDown();
        nextOk(1);
    }

    @Test
    void inventoryListsTheSocketDirectoryAndNamesAnUnreachableSocket() throws Exception {
        Files.createFile(socketDir.resolve("ghost.qmp"));
        send("{\"v\":1,\"type\":\"inventory\",\"id\":3}");

        InventoryResult inventory = ProtocolCodec.resultAs(nextOk(3), InventoryResult.class);

        assertEquals(1, inventory.vms().size());
        assertEquals("ghost", inventory.vms().get(0).name());
        assertEquals("unreachable", inventory.vms().get(0).state());
    }

    @Test
    void malformedLineGetsAnErrorWithoutIdAndChangesNothing() throws Exception {
        send("{\"v\":1,\"type\":\"prepare\",\"id\":4");

        Reply.Error error = nextError();
        assertEquals("malformed", error.code());
        assertNull(error.id());
        assertTrue(error.message().startsWith("not JSON: "), error.message());
        assertStillServing();
    }

    @Test
    void unknownTypeGetsAnErrorWithItsIdAndChangesNothing() throws Exception {
        send("{\"v\":1,\"type\":\"restore-prepare\",\"id\":5}");

        Reply.Error error = nextError();
        assertEquals("unknown-type", error.code());
        assertEquals(5L, error.id());
        assertStillServing();
    }

    @Test
    void wrongVersionGetsAnErrorWithItsIdAndChangesNothing() throws Exception {
        send("{\"v\":2,\"type\":\"prepare\",\"id\":6,\"snapshotId\":\"s1\",\"mode\":\"hold\",\"vms\":[\"web\"]}");

        Reply.Error error = nextError();
        assertEquals("version", error.code());
        assertEquals(6L, error.id());
        assertStillServing();
    }

    @Test
    void requestWithBadFieldsIsRefusedBeforeTheHandlerSeesIt() throws Exception {
        send("{\"v\":1,\"type\":\"prepare\",\"id\":7,\"snapshotId\":\"s1\",\"mode\":\"hold\",\"vms\":[]}");

        Reply.Error error = nextError();
        assertEquals("bad-request", error.code());
        assertEquals(7L, error.id());
        assertEquals("bad 'prepare': vms must not be empty", error.message());
        assertStillServing();
    }

    @Test
    void replySentToTheAgentIsRefusedAsNotARequest() throws Exception {
        send("{\"v\":1,\"type\":\"ok\",\"id\":8,\"result\":{}}");

        Reply.Error error = nextError();
        assertEquals("bad-request", error.code());
        assertEquals("'ok' is not a request", error.message());
        assertStillServing();
    }

    @Test
    void handlerFailureBecomesAOneLineFailedReply() throws Exception {
        send("{\"v\":1,\"type\":\"commit\",\"id\":9,\"snapshotId\":\"s1\",\"manifest\":{}}");

        Reply.Error error = nextError();
        assertEquals(9L, error.id());
        assertEquals("failed", error.code());
        assertEquals("IllegalStateException: disk full / while writing the manifest", error.message());
    }

    @Test
    void protocolExceptionFromTheHandlerKeepsItsCode() throws Exception {
        send("{\"v\":1,\"type\":\"release\",\"id\":10,\"snapshotId\":\"s1\",\"vms\":[\"nope\"]}");

        Reply.Error error = nextError();
        assertEquals("no-such-vm", error.code());
        assertEquals("no VM named [nope] is held", error.message());
    }

    @Test
    void requestTheHandlerDoesNotServeIsUnsupported() throws Exception {
        send("{\"v\":1,\"type\":\"hold\",\"id\":11,\"snapshotId\":\"s1\",\"deadlineMillis\":500}");

        Reply.Error error = nextError();
        assertEquals("unsupported", error.code());
        assertEquals("'hold' is not supported by this agent yet", error.message());
    }

    @Test
    void eventsAreNumberedInOrderCarryNoIdAndPrecedeTheReply() throws Exception {
        send("{\"v\":1,\"type\":\"prepare\",\"id\":12,\"snapshotId\":\"s1\",\"mode\":\"hold\",\"vms\":[\"web\"]}");

        AgentEvent stop = assertInstanceOf(AgentEvent.class, next());
        AgentEvent resume = assertInstanceOf(AgentEvent.class, next());
        JsonNode result = nextOk(12).result();

        assertEquals(new AgentEvent(1, EventKind.STOP, "web", 1_000, ProtocolCodec.toObject(Map.of("qemu", true))), stop);
        assertEquals(new AgentEvent(2, EventKind.RESUME, "web", 4_000, null), resume);
        assertEquals("web", result.path("prepared").path(0).asText());
    }

    @Test
    void endOfInputCallsCoordinatorLostOnceAndEndsTheAgent() throws Exception {
        toAgent.close();

        assertTrue(agentEnded.await(WAIT_SECONDS, TimeUnit.SECONDS), "agent still running after its input ended");
        assertEquals(1, handler.coordinatorLost.get());
    }

    @Test
    void shutdownIsAnsweredThenTheAgentEndsWithoutCoordinatorLost() throws Exception {
        send("{\"v\":1,\"type\":\"shutdown\",\"id\":13}");

        nextOk(13);
        assertTrue(agentEnded.await(WAIT_SECONDS, TimeUnit.SECONDS), "agent still running after shutdown");
        assertEquals(0, handler.coordinatorLost.get());
        assertFalse(handler.calls.contains("coordinatorLost"));
    }
}
