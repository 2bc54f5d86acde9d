package io.hotsnap.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.snapshot.SnapshotPhase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Events in, per-VM phases out: the one reading the coordinator, the reports and the dashboard share. */
class PhaseFoldTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000_000L;

    private long seq;

    private ClusterEvent event(String host, String vm, EventKind kind, long afterMicros, Map<String, Object> data) {
        JsonNode json = data == null ? JSON.createObjectNode() : JSON.valueToTree(data);
        return new ClusterEvent(host, ++seq, kind, vm, T0 + afterMicros, json);
    }

    private ClusterEvent event(String host, String vm, EventKind kind, long afterMicros) {
        return event(host, vm, kind, afterMicros, null);
    }

    private ClusterEvent milestone(String host, String vm, SnapshotPhase phase, long afterMicros) {
        return event(host, vm, EventKind.PROGRESS, afterMicros, Map.of("phase", phase));
    }

    private ClusterEvent sample(String host, String vm, long afterMicros, long done, long total) {
        return event(host, vm, EventKind.PROGRESS, afterMicros, Map.of("memoryDone", done, "memoryTotal", total, "bytesPerSecond", 1000));
    }

    /** A hold cut of vm1 on h1, in the order a real agent reports it. */
    private List<ClusterEvent> holdCut(String host, String vm, long shift) {
        return List.of(
                event(host, vm, EventKind.HOLD_ON, shift),
                event(host, vm, EventKind.STOP, shift + 1_000),
                event(host, vm, EventKind.HOLD_OFF, shift + 1_500),
                event(host, vm, EventKind.RESUME, shift + 4_000),
                milestone(host, vm, SnapshotPhase.TRANSIENT_DONE, shift + 4_200),
                sample(host, vm, shift + 50_000, 300, 1000),
                milestone(host, vm, SnapshotPhase.FULL_DONE, shift + 900_000),
                event(host, vm, EventKind.DONE, shift + 901_000, Map.of("part", Map.of("memory", Map.of("bytes", 1234)))));
    }

    private static PhaseSpan span(long from, long to) {
        return new PhaseSpan(T0 + from, OptionalLong.of(T0 + to));
    }

    @Test
    void aHoldCutFoldsIntoHoldPauseAndCopyPerVm() {
        PhaseFold fold = PhaseFold.of(holdCut("h1", "vm1", 0));

        VmTimeline vm = fold.vm("h1", "vm1").orElseThrow();
        assertEquals(Optional.of(span(0, 1_500)), vm.hold());
        assertEquals(Optional.of(span(1_000, 4_000)), vm.pause());
        assertEquals(Optional.of(span(4_000, 900_000)), vm.copy(), "the copy ends at full-done, not at the later DONE");
        assertEquals(3.0, vm.downtimeMs());
        assertEquals(1.5, vm.holdMs());
        assertEquals(VmStage.COPIED, vm.stage());
        assertEquals(1.0, vm.progress());
        assertEquals(1234, vm.bytes());
        assertEquals(OptionalLong.of(T0 + 901_000), vm.endedAt());
    }

    @Test
    void theStageFollowsEachEventOfTheCut() {
        PhaseFold fold = new PhaseFold();
        fold.expect("h1", List.of("vm1"));
        List<VmStage> stages = new ArrayList<>(List.of(fold.vm("h1", "vm1").orElseThrow().stage()));
        for (ClusterEvent e : holdCut("h1", "vm1", 0)) {
            fold.apply(e);
            VmStage now = fold.vm("h1", "vm1").orElseThrow().stage();
            if (now != stages.get(stages.size() - 1)) {
                stages.add(now);
            }
        }
        fold.commit();
        stages.add(fold.vm("h1", "vm1").orElseThrow().stage());

        assertEquals(List.of(VmStage.WAITING, VmStage.HOLDING, VmStage.PAUSED, VmStage.COPYING, VmStage.COPIED, VmStage.COMMITTED), stages);
    }

    @Test
    void eventsOutOfOrderFoldIntoTheSamePhases() {
        List<ClusterEvent> inOrder = new ArrayList<>(holdCut("h1", "vm1", 0));
        inOrder.addAll(holdCut("h1", "vm2", 700));
        inOrder.addAll(holdCut("h2", "vm1", 1_300));
        PhaseFold ordered = PhaseFold.of(inOrder);

        for (int seed = 0; seed < 20; seed++) {
            List<ClusterEvent> shuffled = new ArrayList<>(inOrder);
            Collections.shuffle(shuffled, new Random(seed));
            PhaseFold fold = PhaseFold.of(shuffled);
            for (VmTimeline expected : ordered.vms()) {
                VmTimeline vm = fold.vm(expected.host(), expected.vm()).orElseThrow();
                assertEquals(expected.hold(), vm.hold(), vm.name() + " hold, seed " + seed);
                assertEquals(expected.pause(), vm.pause(), vm.name() + " pause, seed " + seed);
                assertEquals(expected.copy(), vm.copy(), vm.name() + " copy, seed " + seed);
                assertEquals(expected.downtimeMs(), vm.downtimeMs(), vm.name() + " downtime, seed " + seed);
            }
            assertEquals(ordered.skewMs(), fold.skewMs());
            assertEquals(ordered.cutBegan(), fold.cutBegan());
        }
        assertEquals(Set.of("h1/vm1", "h1/vm2", "h2/vm1"), ordered.vms().stream().map(VmTimeline::name).collect(Collectors.toSet()),
                "the same VM name on two hosts is two VMs");
        assertEquals(1.3, ordered.skewMs(), 1e-9, "the last STOP (h2/vm1) 1.3 ms after the first (h1/vm1)");
        assertEquals(OptionalLong.of(T0), ordered.cutBegan());
    }

    @Test
    void aResumeHeardBeforeItsStopStillClosesThePause() {
        PhaseFold fold = PhaseFold.of(List.of(event("h1", "vm1", EventKind.RESUME, 5_000), event("h1", "vm1", EventKind.STOP, 2_000)));

        VmTimeline vm = fold.vm("h1", "vm1").orElseThrow();
        assertEquals(Optional.of(span(2_000, 5_000)), vm.pause());
        assertEquals(3.0, vm.downtimeMs());
    }

    @Test
    void eachKindsFirstOccurrenceCounts() {
        PhaseFold fold = PhaseFold.of(List.of(event("h1", "vm1", EventKind.STOP, 1_000), event("h1", "vm1", EventKind.STOP, 2_000),
                event("h1", "vm1", EventKind.RESUME, 3_000), event("h1", "vm1", EventKind.RESUME, 9_000)));

        assertEquals(Optional.of(span(1_000, 3_000)), fold.vm("h1", "vm1").orElseThrow().pause());
    }

    @Test
    void aFailedVmKeepsItsReasonAndItsOpenCopyEndsAtTheError() {
        List<ClusterEvent> events = new ArrayList<>(holdCut("h1", "vm1", 0));
        events.add(event("h1", "vm2", EventKind.HOLD_ON, 0));
        events.add(event("h1", "vm2", EventKind.STOP, 1_000));
        events.add(event("h1", "vm2", EventKind.HOLD_OFF, 1_200));
        events.add(event("h1", "vm2", EventKind.RESUME, 2_000));
        events.add(sample("h1", "vm2", 40_000, 500, 1000));
        events.add(event("h1", "vm2", EventKind.ERROR, 60_000, Map.of("message", "the memory stream broke")));
        PhaseFold fold = PhaseFold.of(events);
        fold.commit();

        VmTimeline failed = fold.vm("h1", "vm2").orElseThrow();
        assertEquals(VmStage.FAILED, failed.stage());
        assertEquals("failed: the memory stream broke", failed.stateText());
        PhaseSpan copy = failed.copy().orElseThrow();
        assertFalse(copy.isClosed(), "the copy never ended");
        assertEquals(OptionalLong.of(T0 + 60_000), failed.endedAt());
        assertEquals(0.5, failed.progress());
        assertEquals(0, failed.bytesPerSecond());
        assertTrue(Double.isNaN(failed.etaSeconds()));
        assertEquals(VmStage.COMMITTED, fold.vm("h1", "vm1").orElseThrow().stage(), "the other VM is unharmed");
    }

    @Test
    void anAbortFailsEveryVmNotCommittedOrFailedAlready() {
        PhaseFold fold = new PhaseFold();
        fold.expect("h1", List.of("vm1", "vm2"));
        fold.apply(event("h1", "vm1", EventKind.ERROR, 10, Map.of("message", "no disk space")));
        fold.fail("snapshot aborted");

        assertEquals("failed: no disk space", fold.vm("h1", "vm1").orElseThrow().stateText());
        assertEquals("failed: snapshot aborted", fold.vm("h1", "vm2").orElseThrow().stateText());
    }

    @Test
    void aPrecopyCopiesBeforeItsStopAndItsCopyThenCountsFromTheStop() {
        PhaseFold fold = PhaseFold.of(List.of(sample("h1", "vm1", 0, 100, 1000)));
        VmTimeline vm = fold.vm("h1", "vm1").orElseThrow();
        assertEquals(VmStage.COPYING, vm.stage());
        assertEquals(Optional.empty(), vm.copy(), "no bar before the final stop");

        fold.apply(event("h1", "vm1", EventKind.STOP, 30_000));
        assertEquals(Optional.of(new PhaseSpan(T0 + 30_000, OptionalLong.empty())), vm.copy());
    }

    @Test
    void eventsWithoutAVmAndUnknownMilestonesChangeNoPhase() {
        PhaseFold fold = PhaseFold.of(List.of(event("h1", "vm1", EventKind.RESUME, 10),
                ClusterEvent.committed("s1", 12.5, T0 + 20),
                event("h1", null, EventKind.DONE, 30),
                event("h1", "vm1", EventKind.PROGRESS, 40, Map.of("phase", "from-a-newer-agent"))));

        assertEquals(List.of("h1/vm1"), fold.vms().stream().map(VmTimeline::name).toList());
        VmTimeline vm = fold.vm("h1", "vm1").orElseThrow();
        assertEquals(new PhaseSpan(T0 + 10, OptionalLong.empty()), vm.copy().orElseThrow());
        assertEquals(VmStage.COPYING, vm.stage());
    }
}
