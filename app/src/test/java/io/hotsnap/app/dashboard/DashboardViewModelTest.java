package io.hotsnap.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.protocol.VmResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's view-model fed the real recorded 3-VM hold snapshot. */
class DashboardViewModelTest {

    private static final SnapshotRecord RECORDED = Recorded.snapshot();
    private static final List<String> IN_ORDER = List.of("holding", "paused", "copying", "copied — awaiting commit", "committed");

    @BeforeAll
    static void startFx() throws Exception {
        Fx.start();
    }

    /** Applies the events one at a time and notes every VM's state (and progress) after each. */
    private static final class Stepper {
        final DashboardViewModel viewModel = new DashboardViewModel(Duration.ZERO);
        final Map<String, List<String>> states = new LinkedHashMap<>();
        final Map<String, List<Double>> progress = new LinkedHashMap<>();
        final List<String> committedTooEarly = new ArrayList<>();

        Stepper run(List<ClusterEvent> events) throws Exception {
            boolean committedSeen = false;
            for (int i = 0; i < events.size(); i++) {
                ClusterEvent e = events.get(i);
                committedSeen |= e.kind() == EventKind.COMMITTED;
                viewModel.accept(e);
                long applied = i + 1;
                Fx.waitUntil("event " + applied + " is applied", () -> viewModel.appliedEventsProperty().get() == applied);
                boolean commitKnown = committedSeen;
                Fx.call(() -> {
                    for (VmRow row : viewModel.rows()) {
                        List<String> seen = states.computeIfAbsent(row.vm(), k -> new ArrayList<>());
                        String state = row.stateProperty().get();
                        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                            seen.add(state);
                        }
                        progress.computeIfAbsent(row.vm(), k -> new ArrayList<>()).add(row.progressProperty().get());
                        if (state.equals("committed") && !commitKnown) {
                            committedTooEarly.add(row.vm() + " after event " + applied + " (" + e.kind() + ")");
                        }
                    }
                    return null;
                });
            }
            return this;
        }
    }

    private static DashboardViewModel replayed() throws Exception {
        DashboardViewModel viewModel = new DashboardViewModel();
        viewModel.replay(RECORDED);
        Fx.waitUntil("the replay is applied", () -> viewModel.stateProperty().get() == DashboardState.COMMITTED
                && viewModel.appliedEventsProperty().get() == RECORDED.events().size());
        return viewModel;
    }

    @Test
    void everyVmGoesHoldingPausedCopyingCopiedCommittedInThatOrder() throws Exception {
        Stepper stepper = new Stepper().run(RECORDED.events());

        assertEquals(Recorded.vms(RECORDED), stepper.states.keySet().stream().sorted().toList());
        stepper.states.forEach((vm, states) -> assertEquals(IN_ORDER, states, vm + "'s states"));
    }

    @Test
    void expectedVmsWaitUntilTheirFirstEvent() throws Exception {
        DashboardViewModel viewModel = new DashboardViewModel();
        viewModel.expect("local", Recorded.vms(RECORDED));
        Fx.waitUntil("the expected rows appear", () -> viewModel.rows().size() == Recorded.vms(RECORDED).size());

        assertEquals("Preparing the snapshot of 3 VMs", Fx.call(() -> viewModel.statusTextProperty().get()));
        assertEquals(Set.of("waiting"), Fx.call(() -> viewModel.rows().stream().map(r -> r.stateProperty().get()).collect(Collectors.toSet())));

        ClusterEvent first = RECORDED.events().get(0);
        viewModel.accept(first);
        Fx.waitUntil("the first event is applied", () -> viewModel.appliedEventsProperty().get() == 1);
        Map<String, String> states = Fx.call(() -> viewModel.rows().stream().collect(Collectors.toMap(VmRow::vm, r -> r.stateProperty().get())));
        states.forEach((vm, state) -> assertEquals(vm.equals(first.vm()) ? "holding" : "waiting", state, vm));
        assertEquals(Recorded.vms(RECORDED).size(), Fx.call(() -> viewModel.rows().size()), "no row twice");
    }

    @Test
    void noVmSaysCommittedBeforeTheCommittedEvent() throws Exception {
        Stepper stepper = new Stepper().run(RECORDED.events());

        assertEquals(List.of(), stepper.committedTooEarly);
    }

    @Test
    void withoutCommittedEventOnlyTheFinishedResultCommits() throws Exception {
        List<ClusterEvent> beforeCommit = RECORDED.events().stream().filter(e -> e.kind() != EventKind.COMMITTED).toList();
        Stepper stepper = new Stepper().run(beforeCommit);
        DashboardViewModel viewModel = stepper.viewModel;

        assertEquals(DashboardState.RUNNING, Fx.call(() -> viewModel.stateProperty().get()));
        stepper.states.forEach((vm, states) -> assertEquals("copied — awaiting commit", states.get(states.size() - 1), vm));

        viewModel.finished(RECORDED.result());
        Fx.waitUntil("the result is applied", () -> viewModel.stateProperty().get() == DashboardState.COMMITTED);
        assertEquals(Set.of("committed"), Fx.call(() -> viewModel.rows().stream().map(r -> r.stateProperty().get()).collect(Collectors.toSet())));
    }

    @Test
    void anAbortedSnapshotFailsEveryVmThatWasNotCommitted() throws Exception {
        DashboardViewModel viewModel = new DashboardViewModel();
        RECORDED.events().stream().filter(e -> e.kind() != EventKind.DONE && e.kind() != EventKind.COMMITTED).forEach(viewModel::accept);
        viewModel.failed("lab2 on local: the memory copy failed");
        Fx.waitUntil("the failure is applied", () -> viewModel.stateProperty().get() == DashboardState.FAILED);

        assertEquals("Snapshot failed: lab2 on local: the memory copy failed", Fx.call(() -> viewModel.statusTextProperty().get()));
        assertEquals(Set.of("failed: snapshot aborted"),
                Fx.call(() -> viewModel.rows().stream().map(r -> r.stateProperty().get()).collect(Collectors.toSet())));
    }

    @Test
    void fullCopyProgressRisesToOne() throws Exception {
        Stepper stepper = new Stepper().run(RECORDED.events());

        stepper.progress.forEach((vm, values) -> {
            for (int i = 1; i < values.size(); i++) {
                assertTrue(values.get(i) >= values.get(i - 1), vm + " progress went back: " + values);
            }
            assertEquals(1.0, values.get(values.size() - 1), vm);
            assertTrue(values.stream().anyMatch(p -> p > 0 && p < 1), vm + " showed no progress between 0 and 1: " + values);
        });
    }

    @Test
    void downtimeHoldAndSkewEqualTheEnginesResult() throws Exception {
        DashboardViewModel viewModel = replayed();

        Map<String, VmRow> rows = Fx.call(() -> viewModel.rows().stream().collect(Collectors.toMap(VmRow::vm, r -> r)));
        for (VmResult vm : RECORDED.result().vms()) {
            assertEquals(vm.downtimeMs(), rows.get(vm.name()).downtimeMsProperty().get(), 0.001, vm.name() + " downtime");
            assertEquals(vm.holdMs(), rows.get(vm.name()).holdMsProperty().get(), 0.001, vm.name() + " hold");
        }
        assertEquals(RECORDED.result().skewMs(), Fx.call(() -> viewModel.skewMsProperty().get()), 0.001);
    }

    @Test
    void timelineHasHoldPauseAndCopyBarsAndStopResumeMarksPerVm() throws Exception {
        DashboardViewModel viewModel = replayed();

        List<TimelineSegment> segments = Fx.call(() -> List.copyOf(viewModel.timelineSegments()));
        List<TimelineMarker> markers = Fx.call(() -> List.copyOf(viewModel.timelineMarkers()));
        for (VmResult vm : RECORDED.result().vms()) {
            List<TimelineSegment> bars = segments.stream().filter(s -> s.vm().equals(vm.name())).toList();
            assertEquals(EnumSet.allOf(TimelineSegment.Kind.class), bars.stream().map(TimelineSegment::kind).collect(Collectors.toSet()),
                    vm.name());
            bars.forEach(b -> assertTrue(b.fromMs() >= 0 && b.toMs() >= b.fromMs(), b.toString()));
            TimelineSegment pause = bars.stream().filter(b -> b.kind() == TimelineSegment.Kind.PAUSE).findFirst().orElseThrow();
            assertEquals(vm.downtimeMs(), pause.toMs() - pause.fromMs(), 0.001, vm.name() + " pause bar");
            TimelineSegment copy = bars.stream().filter(b -> b.kind() == TimelineSegment.Kind.COPY).findFirst().orElseThrow();
            assertEquals(pause.toMs(), copy.fromMs(), 0.001, vm.name() + ": the copy starts at RESUME");
            assertEquals(List.of(EventKind.STOP, EventKind.RESUME),
                    markers.stream().filter(m -> m.vm().equals(vm.name())).map(TimelineMarker::kind).toList(), vm.name());
        }
    }

    @Test
    void tcpFlowsAndOrphanCountComeFromTheResult() throws Exception {
        DashboardViewModel viewModel = replayed();

        assertEquals(RECORDED.result().tcp().flows().size(), Fx.call(() -> viewModel.tcpFlows().size()));
        assertEquals(RECORDED.result().tcp().orphanPackets(), Fx.call(() -> viewModel.orphanPacketsProperty().get()));
    }

    @Test
    void theLogHasEveryEventAndItsFilterKeepsOnlyMatchingLines() throws Exception {
        DashboardViewModel viewModel = replayed();
        int events = RECORDED.events().size();
        assertEquals(events, Fx.call(() -> viewModel.eventLog().size()));

        Fx.call(() -> {
            viewModel.eventFilterProperty().set("stop");
            return null;
        });
        List<String> stops = Fx.call(() -> viewModel.eventLog().stream().map(LogLine::text).toList());
        assertEquals(Recorded.count(RECORDED, EventKind.STOP), stops.size(), String.join("\n", stops));
        stops.forEach(line -> assertTrue(line.contains("STOP"), line));

        Fx.call(() -> {
            viewModel.eventFilterProperty().set("lab2");
            return null;
        });
        long lab2 = RECORDED.events().stream().filter(e -> "lab2".equals(e.vm())).count();
        assertEquals(lab2, (long) Fx.call(() -> viewModel.eventLog().size()));

        Fx.call(() -> {
            viewModel.eventFilterProperty().set("");
            return null;
        });
        assertEquals(events, Fx.call(() -> viewModel.eventLog().size()));
    }

    @Test
    void tenThousandEventsFromABackgroundThreadAreAppliedInAtMostOneBatchPer33Ms() throws Exception {
        DashboardViewModel viewModel = new DashboardViewModel();
        List<ClusterEvent> recorded = RECORDED.events();
        int total = 10_000;
        long start = System.nanoTime();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                viewModel.accept(recorded.get(i % recorded.size()));
                if (i % 100 == 99) {
                    // Spread over ~0.5 s, so per-event hand-overs would show as hundreds of batches.
                    sleep(5);
                }
            }
        });
        producer.start();
        Fx.waitUntil("every event is applied", () -> viewModel.appliedEventsProperty().get() == total);
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        producer.join();

        long applications = viewModel.applications();
        assertTrue(applications <= elapsedMs / 33 + 1, applications + " FX applications in " + elapsedMs + " ms");
        assertTrue(applications > 1, "the events were applied as they came, not all at the end: " + applications);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
