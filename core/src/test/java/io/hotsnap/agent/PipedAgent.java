package io.hotsnap.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.Message;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link Agent} in this JVM over OS pipes, its lines written and read as the coordinator would. */
final class PipedAgent implements AutoCloseable {

    static final long WAIT_SECONDS = 10;

    private final OutputStream toAgent;
    private final BlockingQueue<String> fromAgent = new LinkedBlockingQueue<>();
    final CountDownLatch ended = new CountDownLatch(1);

    PipedAgent(java.util.function.Function<AgentEventSink, AgentHandler> handler, Duration heartbeatSilence) throws IOException {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        toAgent = Channels.newOutputStream(in.sink());
        Agent agent = new Agent(Channels.newInputStream(in.source()), Channels.newOutputStream(out.sink()), handler, heartbeatSilence);
        daemon("agent-under-test", () -> {
            try {
                agent.run();
            } finally {
                ended.countDown();
            }
        });
        daemon("agent-output", () -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    fromAgent.add(line);
                }
            } catch (IOException e) {
                // The pipe closes with the test.
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    void send(String line) throws IOException {
        write(line + "\n");
    }

    void write(String text) throws IOException {
        toAgent.write(text.getBytes(StandardCharsets.UTF_8));
        toAgent.flush();
    }

    Message next() throws InterruptedException {
        String line = fromAgent.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            fail("the agent wrote nothing within " + WAIT_SECONDS + " s");
        }
        return ProtocolCodec.decode(line);
    }

    Reply.Ok nextOk(long id) throws InterruptedException {
        Reply.Ok ok = assertInstanceOf(Reply.Ok.class, next(), "reply to " + id);
        assertEquals(id, ok.id());
        return ok;
    }

    Reply.Error nextError() throws InterruptedException {
        return assertInstanceOf(Reply.Error.class, next());
    }

    /** The agent still answers a {@code ping}. */
    void assertServing(long id) throws IOException, InterruptedException {
        send("{\"v\":1,\"type\":\"ping\",\"id\":" + id + "}");
        nextOk(id);
    }

    @Override
    public void close() throws IOException {
        toAgent.close();
    }
}
