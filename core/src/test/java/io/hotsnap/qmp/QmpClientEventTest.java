package io.hotsnap.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** STOP/RESUME events from one real QEMU: order, host wall-clock timestamps, no loss, slow subscribers. */
@Timeout(60)
class QmpClientEventTest {

    private static final Duration WAIT = Timeouts.defaults().qmpCommand();
    private static final Predicate<QmpEvent> RUN_STATE = e -> e.name().equals("STOP") || e.name().equals("RESUME");
    /** QEMU stamps events with the host's wall clock; allow for a loaded machine, not for another clock. */
    private static final long CLOCK_SLACK_MICROS = 2_000_000;

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

    /** Every test starts with the VM running, so its first {@code stop} emits STOP. */
    @BeforeEach
    void runTheVm() {
        client.call("cont", null, WAIT);
    }

    @Test
    void stopThenContEmitStopBeforeResumeStampedWithHostWallClockMicros() {
        try (QmpEventSubscription runState = client.subscribe(RUN_STATE, 16)) {
            long before = System.currentTimeMillis() * 1000;
            client.call("stop", null, WAIT);
            client.call("cont", null, WAIT);
            long after = System.currentTimeMillis() * 1000;

            QmpEvent stop = runState.poll(WAIT).orElseThrow();
            QmpEvent resume = runState.poll(WAIT).orElseThrow();
            assertEquals("STOP", stop.name());
            assertEquals("RESUME", resume.name());
            assertTrue(stop.timestampMicros() < resume.timestampMicros(), stop + " then " + resume);
            assertTrue(stop.timestampMicros() > before - CLOCK_SLACK_MICROS, stop + " vs host " + before);
            assertTrue(resume.timestampMicros() < after + CLOCK_SLACK_MICROS, resume + " vs host " + after);
            assertTrue(stop.data().isObject() && stop.data().isEmpty(), "STOP carries no data: " + stop.data());
        }
    }

    @Test
    void eventsArrivingWhileCommandsAreInFlightAreAllDeliveredInOrder() throws Exception {
        List<String> heardByListener = new CopyOnWriteArrayList<>();
        Consumer<QmpEvent> listener = e -> heardByListener.add(e.name());
        client.addListener(listener);
        try (QmpEventSubscription runState = client.subscribe(RUN_STATE, 100)) {
            // All 40 commands are sent before the first reply is read: events and replies interleave.
            List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                replies.add(client.execute("stop", null));
                replies.add(client.execute("cont", null));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get();

            // QEMU sends each event before its command's reply, so by now all are queued.
            List<QmpEvent> received = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                received.add(runState.poll(Duration.ZERO).orElseThrow(() -> new AssertionError("only " + received.size())));
            }
            for (int i = 0; i < 40; i++) {
                assertEquals(i % 2 == 0 ? "STOP" : "RESUME", received.get(i).name(), "event " + i);
                if (i > 0) {
                    assertTrue(received.get(i - 1).timestampMicros() <= received.get(i).timestampMicros());
                }
            }
            assertTrue(runState.poll(Duration.ZERO).isEmpty());
            assertEquals(0, runState.dropped());
            assertEquals(received.stream().map(QmpEvent::name).toList(), heardByListener);
        } finally {
            client.removeListener(listener);
        }
    }

    @Test
    void overflowingSubscriberLosesOnlyItsOldestEventsAndNeverBlocksTheReader() {
        try (QmpEventSubscription neverPolled = client.subscribe(RUN_STATE, 2);
             QmpEventSubscription roomy = client.subscribe(RUN_STATE, 100)) {
            for (int i = 0; i < 10; i++) {
                client.call("stop", null, WAIT);
                client.call("cont", null, WAIT);
            }

            assertEquals(18, neverPolled.dropped());
            assertEquals("STOP", neverPolled.poll(WAIT).orElseThrow().name());
            assertEquals("RESUME", neverPolled.poll(WAIT).orElseThrow().name());
            assertTrue(neverPolled.poll(Duration.ZERO).isEmpty());
            assertEquals(0, roomy.dropped());
            assertEquals("running", client.call("query-status", null, WAIT).get("status").asText());
        }
    }

    @Test
    void failingListenerDoesNotStopDeliveryToOthers() {
        Consumer<QmpEvent> failing = e -> {
            throw new IllegalStateException("listener bug");
        };
        client.addListener(failing);
        try (QmpEventSubscription runState = client.subscribe(RUN_STATE, 16)) {
            client.call("stop", null, WAIT);

            assertEquals("STOP", runState.await(e -> true, WAIT).name());
            assertEquals(QmpState.RUNNING, client.state());
        } finally {
            client.removeListener(failing);
        }
    }

    @Test
    void awaitSkipsEventsThatDoNotMatch() {
        try (QmpEventSubscription runState = client.subscribe(RUN_STATE, 16)) {
            client.call("stop", null, WAIT);
            client.call("cont", null, WAIT);

            assertEquals("RESUME", runState.await(e -> e.name().equals("RESUME"), WAIT).name());
            assertTrue(runState.poll(Duration.ZERO).isEmpty());
        }
    }
}
