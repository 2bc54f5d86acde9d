package io.hotsnap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record keeps every event but thins PROGRESS samples to at most 5 a second per VM. */
class SnapshotRecordTest {

    private static final ClusterResult RESULT = new ClusterResult("s1", "committed", "hold", 0, 1, 0, List.of(), null);
    private static final long T0 = 1_700_000_000_000_000L;

    @Test
    void progressSamplesAreThinnedToOnePerVmEvery200Ms() {
        List<ClusterEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(sample("h1", "vm1", T0 + i * 50_000L));
        }

        List<ClusterEvent> kept = SnapshotRecord.of(RESULT, events).events();

        assertEquals(List.of(T0, T0 + 200_000, T0 + 400_000), kept.stream().map(ClusterEvent::atMicros).toList());
    }

    @Test
    void aLongCopyKeepsAtMostFiveSamplesASecondPerVm() {
        List<ClusterEvent> events = new ArrayList<>();
        // 60 s of a sample every 30 ms for two VMs, and the same VM name on a second host.
        for (long t = 0; t < 60_000_000; t += 30_000) {
            events.add(sample("h1", "vm1", T0 + t));
            events.add(sample("h1", "vm2", T0 + t));
            events.add(sample("h2", "vm1", T0 + t));
        }

        List<ClusterEvent> kept = SnapshotRecord.of(RESULT, events).events();

        for (String source : List.of("h1/vm1", "h1/vm2", "h2/vm1")) {
            long n = kept.stream().filter(e -> (e.host() + "/" + e.vm()).equals(source)).count();
            assertTrue(n >= 5 * 60 * 0.8 && n <= 5 * 60 + 1, source + ": " + n + " samples kept of 60 s");
        }
    }

    @Test
    void everyOtherEventAndEveryPhaseMarkerIsKeptInOrder() {
        List<ClusterEvent> events = List.of(
                event(EventKind.HOLD_ON, "vm1", T0, null),
                event(EventKind.STOP, "vm1", T0 + 1, null),
                sample("h1", "vm1", T0 + 2),
                event(EventKind.RESUME, "vm1", T0 + 3, null),
                event(EventKind.PROGRESS, "vm1", T0 + 4, "transient-done"),
                sample("h1", "vm1", T0 + 5),
                event(EventKind.HOLD_OFF, "vm1", T0 + 6, null),
                event(EventKind.PROGRESS, "vm1", T0 + 7, "full-done"),
                event(EventKind.DONE, "vm1", T0 + 8, null),
                event(EventKind.ERROR, null, T0 + 9, null),
                ClusterEvent.committed("s1", 1, T0 + 10));

        List<ClusterEvent> kept = SnapshotRecord.of(RESULT, events).events();

        List<ClusterEvent> expected = new ArrayList<>(events);
        expected.remove(5); // the second sample, 3 µs after the first
        assertEquals(expected, kept);
    }

    @Test
    void committedEventIsTheCoordinatorsOwnWithIdAndCommitTime() {
        ClusterEvent committed = ClusterEvent.committed("s1", 812.5, T0);

        assertEquals(new ClusterEvent("", 1, EventKind.COMMITTED, null, T0,
                JsonNodeFactory.instance.objectNode().put("id", "s1").put("commitMs", 812.5)), committed);
    }

    private static ClusterEvent sample(String host, String vm, long at) {
        JsonNode data = JsonNodeFactory.instance.objectNode().put("memoryDone", 1).put("memoryTotal", 2).put("bytesPerSecond", 3);
        return new ClusterEvent(host, 0, EventKind.PROGRESS, vm, at, data);
    }

    private static ClusterEvent event(EventKind kind, String vm, long at, String phase) {
        JsonNode data = phase == null ? JsonNodeFactory.instance.objectNode() : JsonNodeFactory.instance.objectNode().put("phase", phase);
        return new ClusterEvent("h1", 0, kind, vm, at, data);
    }
}
