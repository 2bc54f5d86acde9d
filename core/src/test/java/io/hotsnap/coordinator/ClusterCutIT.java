package io.hotsnap.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.CatalogResult;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.testing.Abandoned;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.VmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster cut in hold mode on the shared three-VM lab, through a local agent (a child JVM):
 * every VM is held before any VM stops (the consistency condition of DESIGN §4), each VM's hold is
 * released after its own snapshot point (possibly while it is still paused: its NIC queues the
 * packets until it runs; reported after its RESUME), the cut is COMMITTED after every VM's part and listed
 * with its record, and afterwards the lab is as it was: running, no filter left.
 */
@ExtendWith(TestLab.class)
class ClusterCutIT {

    private static final List<String> VMS = List.of("it1", "it2", "it3");
    private static final List<EventKind> ORDER = List.of(EventKind.HOLD_ON, EventKind.STOP, EventKind.RESUME, EventKind.HOLD_OFF);

    @TempDir
    Path storeDir;

    @Test
    void holdModeCutIsConsistentCommittedAndLeavesTheLabAsItWas(Lab lab) throws Exception {
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        ClusterResult result;
        CatalogResult catalog;
        try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
            result = Abandoned.retried(() -> {
                events.clear();
                return new Coordinator(List.of(new ClusterTarget(link, VMS)), ClusterOptions.defaults().withStore(storeDir.toString()),
                        events::add).snapshot();
            });
            catalog = link.call(new Request.Snapshots(storeDir.toString()), CatalogResult.class, Duration.ofSeconds(30));
        }
        System.err.println("[cluster cut] " + result);

        Manifest manifest = new SnapshotStore(storeDir).read(result.id()).orElseThrow();
        assertEquals(Manifest.COMMITTED, manifest.status());
        assertEquals(VMS, manifest.vms().stream().map(VmPart::name).sorted().toList());

        for (String vm : VMS) {
            List<EventKind> kinds = events.stream().filter(e -> vm.equals(e.vm()) && ORDER.contains(e.kind())).map(ClusterEvent::kind).toList();
            assertEquals(ORDER, kinds, vm + "'s events");
        }
        // The consistency condition: every hold was on before any VM's snapshot point, in the
        // agent's own order (seq) and on the clock.
        List<ClusterEvent> holds = of(events, EventKind.HOLD_ON);
        List<ClusterEvent> stops = of(events, EventKind.STOP);
        assertEquals(3, holds.size());
        assertEquals(3, stops.size());
        long lastHoldSeq = holds.stream().mapToLong(ClusterEvent::seq).max().orElseThrow();
        long firstStopSeq = stops.stream().mapToLong(ClusterEvent::seq).min().orElseThrow();
        assertTrue(lastHoldSeq < firstStopSeq, "a VM stopped before every hold was on: " + events);
        long lastHoldAt = holds.stream().mapToLong(ClusterEvent::atMicros).max().orElseThrow();
        long firstStopAt = stops.stream().mapToLong(ClusterEvent::atMicros).min().orElseThrow();
        assertTrue(lastHoldAt <= firstStopAt, "last HOLD_ON " + lastHoldAt + " after first STOP " + firstStopAt);

        assertEquals(3, result.vms().size());
        assertTrue(result.skewMs() >= 0, "skew " + result.skewMs());
        for (VmResult vm : result.vms()) {
            assertTrue(vm.downtimeMs() > 0 && vm.holdMs() > 0, vm.toString());
            // The hold may end while the VM is still paused (its NIC queues), never before its snapshot point.
            long off = of(events, EventKind.HOLD_OFF).stream().filter(e -> e.vm().equals(vm.name())).findFirst().orElseThrow().atMicros();
            assertTrue(off >= vm.stopAt(), vm.name() + ": hold released at " + off + ", before its STOP at " + vm.stopAt());
        }
        assertCommittedAfterEveryDone(events, result);
        assertCatalogHasTheRecord(catalog, result);
        assertLabUntouched(lab, VMS);
    }

    /** The snapshot exists for the console from COMMITTED on: once, after every VM's part was done. */
    private static void assertCommittedAfterEveryDone(List<ClusterEvent> events, ClusterResult result) {
        List<ClusterEvent> committed = of(events, EventKind.COMMITTED);
        assertEquals(1, committed.size(), events.toString());
        assertEquals(result.id(), committed.get(0).data().path("id").asText());
        int committedAt = events.indexOf(committed.get(0));
        for (String vm : VMS) {
            int doneAt = events.stream().filter(e -> e.kind() == EventKind.DONE && vm.equals(e.vm())).findFirst().map(events::indexOf)
                    .orElseThrow(() -> new AssertionError(vm + " reported no DONE: " + events));
            assertTrue(doneAt < committedAt, vm + "'s DONE published after COMMITTED: " + events);
        }
    }

    /** {@code snapshots} through the same agent lists the cut with its record: the same result, every VM's STOP and RESUME. */
    private static void assertCatalogHasTheRecord(CatalogResult catalog, ClusterResult result) {
        CatalogEntry entry = catalog.snapshots().stream().filter(e -> e.manifest().id().equals(result.id())).findFirst()
                .orElseThrow(() -> new AssertionError(result.id() + " not in the catalog: " + catalog));
        assertNotNull(entry.record(), "no record for " + result.id());
        assertEquals(result, entry.record().result());
        for (String vm : VMS) {
            List<EventKind> kinds = entry.record().events().stream().filter(e -> vm.equals(e.vm())).map(ClusterEvent::kind).toList();
            assertTrue(kinds.contains(EventKind.STOP) && kinds.contains(EventKind.RESUME), vm + "'s recorded events: " + kinds);
        }
        assertEquals(1, of(entry.record().events(), EventKind.COMMITTED).size(), entry.record().events().toString());
    }

    @Test
    void unknownVmAbortsEverywhereAndLeavesNothingBehind(Lab lab) throws Exception {
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
            ClusterException e = assertThrows(ClusterException.class, () -> new Coordinator(
                    List.of(new ClusterTarget(link, List.of("it1", "it2", "no-such-vm"))),
                    ClusterOptions.defaults().withStore(storeDir.toString()), events::add).snapshot());
            assertTrue(e.getMessage().contains("no-such-vm"), e.getMessage());
        }
        assertTrue(events.stream().noneMatch(e -> e.kind() == EventKind.HOLD_ON || e.kind() == EventKind.STOP), events.toString());
        try (Stream<Path> left = Files.exists(storeDir) ? Files.list(storeDir) : Stream.empty()) {
            assertEquals(List.of(), left.filter(f -> !f.getFileName().toString().equals(SnapshotStore.MARKER)).toList(),
                    "files left in the store (its own marker aside)");
        }
        assertLabUntouched(lab, VMS);
    }

    /**
     * The agent-side safety net: a coordinator that holds and then goes quiet gets every hold
     * released at the deadline by the agent itself, and its goodbye without commit aborts the rest.
     */
    @Test
    void agentReleasesHoldsAtTheDeadlineAndAbortsWhenTheCoordinatorLeaves(Lab lab) throws Exception {
        List<AgentEvent> events = new CopyOnWriteArrayList<>();
        LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults());
        try {
            CountDownLatch released = new CountDownLatch(VMS.size());
            link.addListener(e -> {
                events.add(e);
                if (e.kind() == EventKind.HOLD_OFF) {
                    released.countDown();
                }
            });
            String id = "deadline-test";
            link.call(new Request.Prepare(id, ClusterMode.HOLD.cliName(), VMS, storeDir.toString(), "none"), JsonNode.class, Duration.ofMinutes(1));
            link.call(new Request.Hold(id, 1_000), JsonNode.class, Duration.ofSeconds(30));
            released.await(15, TimeUnit.SECONDS);
            List<AgentEvent> offs = events.stream().filter(e -> e.kind() == EventKind.HOLD_OFF).toList();
            assertEquals(VMS.size(), offs.size(), "holds released at the deadline: " + events);
            assertTrue(offs.stream().allMatch(e -> e.data().path("reason").asText().equals("deadline")), offs.toString());
        } finally {
            link.close(); // shutdown before commit: the agent aborts, removing holds and files
        }
        awaitLabUntouched(lab, VMS, Duration.ofSeconds(30));
        try (Stream<Path> left = Files.exists(storeDir) ? Files.list(storeDir) : Stream.empty()) {
            assertEquals(List.of(), left.filter(f -> !f.getFileName().toString().equals(SnapshotStore.MARKER)).toList(),
                    "files left in the store (its own marker aside)");
        }
    }

    /** The agent cleans up after the link closed, in its own time: wait for it, within a bound. */
    private static void awaitLabUntouched(Lab lab, List<String> vms, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> assertLabUntouched(lab, vms));
    }

    private static List<ClusterEvent> of(List<ClusterEvent> events, EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    /** Every VM running and clean, with no hold filter left in QEMU. */
    private static void assertLabUntouched(Lab lab, List<String> vms) {
        for (String name : vms) {
            LabVmStatus vm = lab.status().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
            VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
            assertTrue(probe.runningAndClean(), name + ": " + probe);
            try (QmpClient qmp = new QmpClient(Path.of(vm.qmp()), Timeouts.defaults())) {
                qmp.connect(Duration.ofSeconds(10));
                String objects = qmp.call("qom-list", Map.of("path", "/objects"), Duration.ofSeconds(10)).toString();
                assertFalse(objects.contains("hotsnap-hold"), name + " still has a hold filter: " + objects);
            }
        }
    }
}
