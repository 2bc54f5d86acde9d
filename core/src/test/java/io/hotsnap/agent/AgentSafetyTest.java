package io.hotsnap.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostClock;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.PingResult;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What no coordinator can do to an agent (issue #17 items 5 and 7): make it buffer an endless line,
 * end it with an Error, queue an abort behind other work, or keep its VMs by falling silent.
 */
@Timeout(60)
class AgentSafetyTest {

    /** Shortened for the test; production's bound is AgentBounds.HEARTBEAT_SILENCE. */
    private static final Duration SILENCE = Duration.ofMillis(400);

    private final Handler handler = new Handler();
    private PipedAgent agent;

    /** Blocks {@code snapshot}s, fails on demand, and awaits the coordinator once something is held. */
    private static final class Handler implements AgentHandler {
        final CountDownLatch mayFinish = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(Agent.MAX_CONCURRENT_REQUESTS);
        final AtomicInteger silent = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        volatile boolean holding;
        volatile Error pingFails;
        AgentEventSink events;

        @Override
        public void addRoutes(RequestRoutes routes) {
            routes.on(Request.Ping.class, this::ping)
                    .on(Request.Hold.class, this::hold)
                    .on(Request.Snapshot.class, this::snapshot)
                    .on(Request.Commit.class, this::commit)
                    .on(Request.Abort.class, this::abort)
                    .on(Request.RestoreAbort.class, this::restoreAbort);
        }

        Object ping(Request.Ping request) {
            Error e = pingFails;
            if (e != null) {
                pingFails = null;
                throw e;
            }
            return new PingResult(HostClock.wallMicros());
        }

        Object hold(Request.Hold request) {
            holding = true;
            return null;
        }

        Object snapshot(Request.Snapshot request) throws InterruptedException {
            started.countDown();
            assertTrue(mayFinish.await(PipedAgent.WAIT_SECONDS, TimeUnit.SECONDS));
            return null;
        }

        Object commit(Request.Commit request) {
            throw new StackOverflowError("a manifest nested too deep");
        }

        Object abort(Request.Abort request) {
            return null;
        }

        Object restoreAbort(Request.RestoreAbort request) {
            return null;
        }

        @Override
        public boolean awaitsCoordinator() {
            return holding;
        }

        @Override
        public void coordinatorSilent(Duration silence) {
            // What a release says: nobody reads it now, and a stopped coordinator's full pipe must not block it.
            events.emit(EventKind.HOLD_OFF, "web", HostClock.wallMicros(), null);
            silent.incrementAndGet();
            holding = false;
        }

        @Override
        public void coordinatorLost() {
            lost.incrementAndGet();
        }
    }

    @BeforeEach
    void start() throws Exception {
        agent = new PipedAgent(sink -> {
            handler.events = sink;
            return handler;
        }, SILENCE);
    }

    @AfterEach
    void end() throws Exception {
        handler.mayFinish.countDown();
        agent.close();
    }

    @Test
    void requestLineOverOneMebibyteIsRefusedAsTooLongAndTheAgentServesOn() throws Exception {
        agent.send("{\"v\":1,\"type\":\"ping\",\"id\":1,\"pad\":\"" + "x".repeat(1 << 20) + "\"}");

        Reply.Error error = agent.nextError();
        assertEquals("too-long", error.code());
        assertNull(error.id());
        assertEquals("request line longer than 1048576 bytes refused", error.message());
        agent.assertServing(2);
    }

    @Test
    void errorInAHandlerIsAnsweredAsFailedAndTheAgentServesOn() throws Exception {
        agent.send("{\"v\":1,\"type\":\"commit\",\"id\":3,\"snapshotId\":\"s1\",\"manifest\":{}}");

        Reply.Error error = agent.nextError();
        assertEquals(3L, error.id());
        assertEquals("failed", error.code());
        assertEquals("StackOverflowError: a manifest nested too deep", error.message());
        agent.assertServing(4);
    }

    @Test
    void errorOnTheReaderThreadIsAnsweredAndNeitherEndsTheAgentNorSkipsItsCleanup() throws Exception {
        handler.pingFails = new OutOfMemoryError("Java heap space");
        agent.send("{\"v\":1,\"type\":\"ping\",\"id\":5}");

        Reply.Error error = agent.nextError();
        assertEquals(5L, error.id());
        assertEquals("OutOfMemoryError: Java heap space", error.message());
        agent.assertServing(6);
        assertEquals(1, agent.ended.getCount(), "the agent ended");
        agent.close();
        assertTrue(agent.ended.await(PipedAgent.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, handler.lost.get(), "the lost-coordinator cleanup ran");
    }

    @Test
    void abortAndRestoreAbortRunAtOnceWhileEveryWorkerIsBusy() throws Exception {
        for (int i = 0; i < Agent.MAX_CONCURRENT_REQUESTS; i++) {
            agent.send("{\"v\":1,\"type\":\"snapshot\",\"id\":" + (10 + i) + ",\"snapshotId\":\"s1\"}");
        }
        assertTrue(handler.started.await(PipedAgent.WAIT_SECONDS, TimeUnit.SECONDS), "every worker busy");
        agent.send("{\"v\":1,\"type\":\"snapshot\",\"id\":40,\"snapshotId\":\"s2\"}");
        Reply.Error busy = agent.nextError();
        assertEquals(40L, busy.id());
        assertEquals("busy", busy.code());

        agent.send("{\"v\":1,\"type\":\"abort\",\"id\":41,\"snapshotId\":\"s1\",\"reason\":\"operator\"}");
        agent.nextOk(41);
        agent.send("{\"v\":1,\"type\":\"restore-abort\",\"id\":42,\"restoreId\":\"r1\"}");
        agent.nextOk(42);

        handler.mayFinish.countDown();
        for (int i = 0; i < Agent.MAX_CONCURRENT_REQUESTS; i++) {
            assertEquals(Reply.Ok.class, agent.next().getClass());
        }
    }

    @Test
    void silentCoordinatorGetsEverythingReleasedWithinTheBoundAndTheAgentServesOn() throws Exception {
        agent.send("{\"v\":1,\"type\":\"hold\",\"id\":50,\"snapshotId\":\"s1\",\"deadlineMillis\":500}");
        agent.nextOk(50);
        long heldAt = System.nanoTime();

        await("released within 5 silence bounds").atMost(SILENCE.multipliedBy(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> handler.silent.get() > 0);
        long releasedMs = (System.nanoTime() - heldAt) / 1_000_000;
        assertTrue(releasedMs >= SILENCE.toMillis(), "released before the bound: " + releasedMs + " ms");
        // The ping's answer comes first: the release's event was not written to the silent coordinator.
        agent.assertServing(51);
        assertEquals(0, handler.lost.get());
        assertEquals(1, agent.ended.getCount(), "the agent ended");
    }

    @Test
    void heartbeatsKeepAHoldingAgentFromReleasing() throws Exception {
        agent.send("{\"v\":1,\"type\":\"hold\",\"id\":60,\"snapshotId\":\"s1\",\"deadlineMillis\":500}");
        agent.nextOk(60);

        for (int i = 0; i < 15; i++) {
            // The coordinator's pace, not a wait: a ping every quarter of the silence bound.
            Thread.sleep(SILENCE.toMillis() / 4);
            agent.assertServing(61 + i);
        }

        assertEquals(0, handler.silent.get(), "released although the coordinator kept pinging");
        assertTrue(handler.holding);
    }

    @Test
    void silenceCostsNothingWhileNothingAwaitsTheCoordinator() throws Exception {
        await("nothing released while nothing awaits the coordinator").during(SILENCE.multipliedBy(3))
                .atMost(SILENCE.multipliedBy(4)).until(() -> handler.silent.get() == 0);

        agent.assertServing(70);
    }
}
