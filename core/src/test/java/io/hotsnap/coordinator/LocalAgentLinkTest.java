package io.hotsnap.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostClock;
import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.InventoryResult;
import io.hotsnap.protocol.PingResult;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.settings.Timeouts;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real agent in a child JVM, started the way the console starts the local one. */
@Timeout(60)
class LocalAgentLinkTest {

    private static final Duration WAIT = Timeouts.defaults().qmpCommand();

    private static LocalAgentLink shared;
    private static final BlockingQueue<AgentEvent> sharedEvents = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startAgent() {
        shared = LocalAgentLink.start(Timeouts.defaults());
        shared.addListener(sharedEvents::add);
    }

    @AfterAll
    static void stopAgent() {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void helloFromTheChildAnnouncesProtocolVersionAndThisHost() {
        HelloResult hello = shared.call(new Request.Hello(), HelloResult.class, WAIT);

        assertEquals(ProtocolCodec.VERSION, hello.version());
        assertEquals(HostClock.hostName(), hello.hostName());
        assertTrue(hello.capabilities().contains("ping"), hello.capabilities().toString());
        assertEquals("local", shared.hostName());
    }

    @Test
    void tenPingsGiveAClockOffsetNearZeroOnTheSameHost() {
        ClockOffset offset = ClockOffset.measure(shared, 10, WAIT);

        // Same host, same clock: whatever is left is the method's error, at most half the best round trip.
        assertTrue(Math.abs(offset.offsetMicros()) < 5_000, "offset " + offset);
        assertTrue(Math.abs(offset.offsetMicros()) <= offset.uncertaintyMicros() + 1_000, "offset " + offset);
    }

    @Test
    void inventoryReturnsAList() {
        InventoryResult inventory = shared.call(new Request.Inventory(), InventoryResult.class, WAIT);

        assertNotNull(inventory.vms());
    }

    @Test
    void refusedRequestComesBackAsAnErrorAndItsLogLineAsALogEvent() throws InterruptedException {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> shared.call(new Request.Hold("s1", 500), PingResult.class, WAIT));
        // The agent serves 'hold' now; holding a snapshot it never prepared is what it refuses.
        assertEquals("bad-request", e.code());

        AgentEvent log;
        do {
            log = sharedEvents.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(log, "no LOG event for the refused request");
        } while (!log.data().path("line").asText().contains("'hold'"));
        assertEquals(EventKind.LOG, log.kind());
        assertEquals(0, log.seq());
        assertEquals("WARN", log.data().path("level").asText());
    }

    @Test
    void killingTheChildCompletesTheClosedFutureExceptionallyPromptly() throws Exception {
        LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults());
        try {
            link.call(new Request.Ping(), PingResult.class, WAIT);

            long killedAt = System.nanoTime();
            ProcessHandle.of(link.pid()).orElseThrow().destroyForcibly();

            ExecutionException e = assertThrows(ExecutionException.class, () -> link.closedFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
            ProtocolException lost = assertInstanceOf(ProtocolException.class, e.getCause());
            assertEquals("link-lost", lost.code());
            assertTrue(lost.getMessage().contains("exit code 137"), lost.getMessage());
            // Seconds, not a timeout: the link hears the pipe close (stretched like every wait on a slow CI machine).
            double scale = Double.parseDouble(System.getProperty("hotsnap.timeoutScale", "1"));
            assertTrue(tookMillis < 2_000 * scale, "noticed after " + tookMillis + " ms");
            assertEquals("link-lost", assertThrows(ProtocolException.class,
                    () -> link.call(new Request.Ping(), PingResult.class, WAIT)).code());
        } finally {
            link.close();
        }
    }

    @Test
    void closeEndsTheChildAndCompletesTheClosedFutureNormally() throws Exception {
        LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults());
        link.call(new Request.Ping(), PingResult.class, WAIT);
        ProcessHandle child = ProcessHandle.of(link.pid()).orElseThrow();

        link.close();

        link.closedFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        child.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(child.isAlive());
    }
}
