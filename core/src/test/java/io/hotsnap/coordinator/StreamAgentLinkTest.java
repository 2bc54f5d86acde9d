package io.hotsnap.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.Envelope;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.Message;
import io.hotsnap.protocol.PingResult;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The coordinator's end over in-process pipes, with the test playing the agent line by line. */
@Timeout(30)
class StreamAgentLinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private StreamAgentLink link;
    private BufferedReader requests;
    private OutputStream agentOut;

    @BeforeEach
    void open() throws IOException {
        Pipe toAgent = Pipe.open();
        Pipe fromAgent = Pipe.open();
        requests = new BufferedReader(new InputStreamReader(Channels.newInputStream(toAgent.source()), StandardCharsets.UTF_8));
        agentOut = Channels.newOutputStream(fromAgent.sink());
        link = StreamAgentLink.open("test-host", Channels.newInputStream(fromAgent.source()), Channels.newOutputStream(toAgent.sink()),
                () -> " (test agent gone)");
    }

    @AfterEach
    void close() {
        link.close();
    }

    private Envelope received() throws IOException {
        return (Envelope) ProtocolCodec.decode(requests.readLine());
    }

    private void agentWrites(Message message) throws IOException {
        agentWritesRaw(ProtocolCodec.encode(message));
    }

    private void agentWritesRaw(String line) throws IOException {
        agentOut.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        agentOut.flush();
    }

    private static ProtocolException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return assertInstanceOf(ProtocolException.class, e.getCause());
    }

    @Test
    void anAgentThatEndsOnTheGoodbyeBeforeCloseGoesOnIsAnOrderlyEnd() throws Exception {
        // The race CI hit: the agent reads "shutdown" and exits, and the read loop sees its output
        // end, all before the closing thread takes its next step. Forced here: writing the goodbye
        // returns only once the read loop has ended the link.
        Pipe fromAgent = Pipe.open();
        OutputStream agentSide = Channels.newOutputStream(fromAgent.sink());
        AtomicReference<StreamAgentLink> opened = new AtomicReference<>();
        OutputStream goodbyeAnswered = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                agentSide.close();
                await("the read loop ends the link").atMost(WAIT).until(() -> opened.get().closedFuture().isDone());
            }
        };
        StreamAgentLink closing = StreamAgentLink.open("exiting-host", Channels.newInputStream(fromAgent.source()), goodbyeAnswered,
                () -> "");
        opened.set(closing);

        closing.close();

        assertNull(closing.closedFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void repliesReachTheirCallersByIdEvenOutOfOrder() throws Exception {
        CompletableFuture<Reply> hello = link.request(new Request.Hello(), WAIT);
        CompletableFuture<Reply> ping = link.request(new Request.Ping(), WAIT);
        long helloId = received().id();
        long pingId = received().id();

        agentWrites(new Reply.Ok(pingId, ProtocolCodec.toObject(new PingResult(7))));
        agentWrites(new Reply.Error(helloId, "unsupported", "no hello here"));

        assertEquals(new PingResult(7), ProtocolCodec.resultAs(ping.get(WAIT.toSeconds(), TimeUnit.SECONDS), PingResult.class));
        assertEquals(new Reply.Error(helloId, "unsupported", "no hello here"), hello.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void requestWithoutReplyTimesOutAndItsLateReplyIsIgnored() throws Exception {
        CompletableFuture<Reply> ping = link.request(new Request.Ping(), Duration.ofMillis(100));
        long id = received().id();

        ProtocolException e = failure(ping);
        assertEquals("timeout", e.code());
        assertEquals("no reply to 'ping' (id " + id + ") from test-host within PT0.1S", e.getMessage());

        agentWrites(new Reply.Ok(id, null));
        CompletableFuture<Reply> next = link.request(new Request.Ping(), WAIT);
        agentWrites(new Reply.Ok(received().id(), null));
        assertInstanceOf(Reply.Ok.class, next.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void eventsReachListenersInOrderAndAFailingListenerDoesNotStopTheOthers() throws Exception {
        List<AgentEvent> seen = new CopyOnWriteArrayList<>();
        link.addListener(event -> {
            throw new IllegalStateException("listener bug");
        });
        link.addListener(seen::add);
        AgentEvent holdOn = new AgentEvent(1, EventKind.HOLD_ON, "web", 10, null);
        AgentEvent stop = new AgentEvent(2, EventKind.STOP, "web", 20, null);

        agentWrites(holdOn);
        agentWritesRaw("this line is not protocol: skipped, not fatal");
        agentWrites(stop);
        CompletableFuture<Reply> ping = link.request(new Request.Ping(), WAIT);
        agentWrites(new Reply.Ok(received().id(), null));
        ping.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(List.of(holdOn, stop), seen);
    }

    @Test
    void endOfTheAgentsOutputFailsPendingRequestsAndCompletesClosedExceptionally() throws Exception {
        CompletableFuture<Reply> snapshot = link.request(new Request.Snapshot("s1"), WAIT);
        received();

        agentOut.close();

        ProtocolException pending = failure(snapshot);
        assertEquals("link-lost", pending.code());
        assertEquals("the agent on test-host ended the connection (test agent gone)", pending.getMessage());
        assertEquals("link-lost", failure(link.closedFuture()).code());
        assertEquals("link-lost", failure(link.request(new Request.Ping(), WAIT)).code());
    }

    @Test
    void closeSaysGoodbyeEndsTheAgentsInputFailsPendingRequestsAndCompletesClosedNormally() throws Exception {
        CompletableFuture<Reply> snapshot = link.request(new Request.Snapshot("s1"), WAIT);
        received();

        link.close();

        assertEquals("link-lost", failure(snapshot).code());
        link.closedFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertInstanceOf(Request.Shutdown.class, received().request());
        assertNull(requests.readLine(), "the agent's input must end when the link closes");
    }
}
