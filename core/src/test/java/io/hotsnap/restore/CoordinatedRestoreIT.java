package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hotsnap.coordinator.ClusterException;
import io.hotsnap.coordinator.ClusterOptions;
import io.hotsnap.coordinator.ClusterRestore;
import io.hotsnap.coordinator.ClusterTarget;
import io.hotsnap.coordinator.Coordinator;
import io.hotsnap.coordinator.LocalAgentLink;
import io.hotsnap.coordinator.RestoreTarget;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.testing.Abandoned;
import io.hotsnap.testing.Clones;
import io.hotsnap.testing.GuestDisk;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.TestLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of a consistent cut: a group of communicating VMs restored from it together carries
 * on, TCP connections included, from one instant. Its own lab, since every VM is replaced. First,
 * on the same lab, a restore through the agent as a clone (the original untouched), and one the
 * preflight refuses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatedRestoreIT {

    @RegisterExtension
    static final OwnLab OWN_LAB = OwnLab.of("cr", "hsbr-cr", "10.71.0", 3, 0);
    private static final Lab LAB = OWN_LAB.lab();
    private static final List<String> VMS = List.of("cr1", "cr2", "cr3");
    /**
     * Measured 15-212 ms (9 flows in 3 runs) on this 2-core TCG box. What the cut had in flight is gone (held frames
     * are not part of a snapshot), so a stream may wait for its retransmission timeout (200 ms at
     * least, doubling: 200 + 400 + 800 ms for three tries) plus a starved guest's delay; the bound
     * allows that and stays inside the 3 s window.
     */
    private static final double FIRST_DATA_BOUND_MS = 2500;

    @TempDir
    static Path storeDir;



    @Test
    @Order(1)
    void restoreThroughTheAgentAsACloneCarriesOnFromTheCutAndAMissingMemoryImageIsRefusedChangingNothing() throws Exception {
        // cr1 and cr2 in one cut; the last step restores across two agents, one of which must refuse.
        String clone = "cr1-clone";
        Path vmDir = Path.of(LAB.status().get(0).disk()).getParent();
        Path socketDir = LAB.config().socketDir();
        try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
            ClusterResult cut = Abandoned.retried(() -> new Coordinator(List.of(new ClusterTarget(link, List.of("cr1", "cr2"))),
                    ClusterOptions.defaults().withStore(storeDir.toString()), e -> { }).snapshot());
            SnapshotStore store = new SnapshotStore(storeDir);
            long tickAtCut = GuestDisk.tickInSectorZero(store.partDir(cut.id(), "cr1").resolve("disk0.qcow2"));
            List<ClusterEvent> events = new CopyOnWriteArrayList<>();
            ClusterRestore restore = new ClusterRestore(cut.id(), storeDir.toString(),
                    List.of(new RestoreTarget(link, List.of(RestoreChoice.asClone("cr1", clone)))), events::add);

            List<PreflightCheck> checks = restore.preflight().get(link.hostName());
            assertEquals(11, checks.size(), "every check of one clone, UEFI firmware included: " + checks);
            assertTrue(checks.stream().allMatch(PreflightCheck::ok), checks.toString());

            RestoreResult result = restore.restore();
            assertEquals(1, result.vms().size(), "only the VM chosen");
            RestoreResult.RestoredVmResult vm = result.vms().get(0);
            assertEquals(List.of("cr1", clone, false), List.of(vm.vm(), vm.as(), vm.inPlace()));
            assertTrue(vm.loadMs() > 0 && result.loadMs() >= vm.loadMs(), result.toString());
            assertEquals(0.0, result.resumeSkewMs(), "one VM resumes with no skew");
            assertTrue(Files.isRegularFile(store.dir(cut.id()).resolve("restore-" + result.restoreId() + ".json")), "restore recorded");
            assertEquals(List.of("loading", "loaded", "barrier", "resumed", "tcp"), events.stream().filter(e -> e.kind() == EventKind.RESTORE)
                    .map(e -> e.data().path("phase").asText()).toList());
            // A clone shares its original's MAC and IP: its NIC joins no network, so there is no figure to show, and none is made up.
            ClusterEvent tcp = events.get(events.size() - 1);
            assertEquals(clone, tcp.vm());
            assertTrue(tcp.data().path("notMeasured").asText().startsWith("clones have no network of their own"), tcp.toString());
            assertTrue(tcp.data().path("flows").isMissingNode(), tcp.toString());
            assertTrue(result.tcp().flows().isEmpty() && result.tcp().unavailable().startsWith("clones have no network"), result.toString());

            Path cloneLog = vmDir.resolve(clone + ".serial.log");
            long first = GuestLog.firstTick(cloneLog);
            assertTrue(first >= tickAtCut && first <= tickAtCut + 2, "clone's first tick " + first + " after a cut at tick " + tickAtCut);
            GuestLog.awaitTick(cloneLog, first + 11, Duration.ofSeconds(30), "the clone ticks on");
            assertEquals("running", LAB.status().get(0).state(), "the original runs on");

            // A deleted memory image: red with the file named, the restore refused, nothing started or written.
            Clones.remove(clone, socketDir, vmDir);
            Path memory = memoryOf(store, cut.id(), "cr1");
            Files.delete(memory);
            List<Path> filesBefore = Clones.filesIn(vmDir);
            long pidBefore = LAB.status().get(0).pid();
            PreflightCheck files = restore.preflight().get(link.hostName()).get(0);
            assertEquals(List.of(PreflightCheck.FILES, false), List.of(files.check(), files.ok()));
            assertEquals("memory image " + memory + " is missing", files.detail());
            ClusterException refused = assertThrows(ClusterException.class, restore::restore);
            assertTrue(refused.getMessage().contains("memory image " + memory + " is missing"), refused.getMessage());
            assertEquals(filesBefore, Clones.filesIn(vmDir), "a refused restore makes no file");
            assertFalse(Files.exists(socketDir.resolve(clone + ".qmp")), "no clone started");
            assertEquals(pidBefore, LAB.status().get(0).pid(), "the original is untouched");

            // Across two agents: one loads cr2's clone, the other refuses cr1's; the barrier is never passed and
            // the loaded clone is killed with its overlays, so nothing is left half restored.
            try (LocalAgentLink other = LocalAgentLink.start(Timeouts.defaults())) {
                events.clear();
                ClusterRestore across = new ClusterRestore(cut.id(), storeDir.toString(), List.of(
                        new RestoreTarget(other, List.of(RestoreChoice.asClone("cr2", "cr2-clone"))),
                        new RestoreTarget(link, List.of(RestoreChoice.asClone("cr1", clone)))), events::add);
                ClusterException aborted = assertThrows(ClusterException.class, across::restore);
                assertTrue(aborted.getMessage().contains("every VM it had started was stopped and its overlays removed"), aborted.getMessage());
                assertEquals(List.of("loading", "loaded", "discarded"), events.stream()
                        .filter(e -> e.kind() == EventKind.RESTORE && "cr2-clone".equals(e.vm())).map(e -> e.data().path("phase").asText()).toList());
                assertTrue(events.stream().noneMatch(e -> "barrier".equals(e.data().path("phase").asText())), "no barrier passed");
                assertFalse(Files.exists(socketDir.resolve("cr2-clone.qmp")), "the loaded clone is gone");
                assertEquals(filesBefore, Clones.filesIn(vmDir), "its overlays, log and pid file are gone");
            } finally {
                Clones.remove("cr2-clone", socketDir, vmDir);
            }
        } finally {
            Clones.remove(clone, socketDir, vmDir);
        }
    }

    private static Path memoryOf(SnapshotStore store, String id, String vm) {
        VmPart part = store.read(id).orElseThrow().vms().stream().filter(p -> p.name().equals(vm)).findFirst().orElseThrow();
        return store.partDir(id, vm).resolve(part.memory().path());
    }

    @Test
    @Order(2)
    void restoringAHoldModeCutInPlaceThroughTheAgentResumesEveryGuestAndEveryTcpStreamFromTheCut() throws Exception {
        try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
            ClusterResult cut = Abandoned.retried(() -> new Coordinator(List.of(new ClusterTarget(link, VMS)),
                    ClusterOptions.defaults().withStore(storeDir.toString()), e -> { }).snapshot());
            SnapshotStore store = new SnapshotStore(storeDir);
            Manifest manifest = store.read(cut.id()).orElseThrow();
            Map<String, Long> tickAtCut = new HashMap<>();
            for (VmPart part : manifest.vms()) {
                tickAtCut.put(part.name(), GuestDisk.tickInSectorZero(store.partDir(cut.id(), part.name()).resolve("disk0.qcow2")));
            }
            Thread.sleep(3000); // the guests run on past the cut

            assertEquals(0, cut.tcp().orphanPackets(), "the cut restored is consistent: " + cut.tcp());
            System.err.printf("[cr] the cut itself: retransmissions %s, longest stall %.0f ms%n",
                    cut.tcp().flows().stream().map(f -> f.from() + "->" + f.to() + " " + f.retransmits()).toList(), cut.tcp().maxStallMs());
            List<ClusterEvent> events = new CopyOnWriteArrayList<>();
            ClusterRestore restore = new ClusterRestore(cut.id(), storeDir.toString(),
                    List.of(new RestoreTarget(link, VMS.stream().map(RestoreChoice::inPlace).toList())), events::add);
            List<PreflightCheck> checks = restore.preflight().get(link.hostName());
            assertTrue(checks.stream().filter(c -> c.check().equals(PreflightCheck.REACHABLE))
                    .allMatch(c -> c.ok() && c.detail().contains("it will be shut down")), checks.toString());
            long began = System.nanoTime();
            RestoreResult result = restore.restore();
            System.err.printf("[cr] in-place restore of 3 VMs: barrier after %.0f ms, load %s ms, resume skew %.2f ms; restore() took %d ms"
                    + " with the TCP window%n", result.loadMs(), result.vms().stream().map(v -> String.format("%.0f", v.loadMs())).toList(),
                    result.resumeSkewMs(), (System.nanoTime() - began) / 1_000_000);

            assertEquals(VMS, result.vms().stream().map(RestoreResult.RestoredVmResult::as).sorted().toList());
            assertTrue(result.vms().stream().allMatch(RestoreResult.RestoredVmResult::inPlace));
            assertTrue(result.resumeSkewMs() >= 0 && result.resumeSkewMs() < 1000, "resumed together: skew " + result.resumeSkewMs() + " ms");
            verifyTcpResumed(result, events);
            verifyCarriesOnFromTheCut(tickAtCut);
        }
    }

    /**
     * Each guest streams to its peer (a ring of 3), so 3 data flows, each resumed within the
     * window on the connection the cut caught: its first data soon after the last RESUME, and no
     * reset (a pair of VMs whose TCP states disagreed would reset the connection).
     */
    private static void verifyTcpResumed(RestoreResult result, List<ClusterEvent> events) {
        TcpReport tcp = result.tcp();
        for (TcpReport.Flow f : tcp.flows()) {
            System.err.printf("[cr] %s -> %s (%s): first data %s ms after the last RESUME, longest stall %.0f ms, retransmissions %d"
                    + " (+%d probes, %d spurious), resets %d, %d bytes in %.0f ms%n", f.from(), f.to(), f.connection(), f.firstDataMs(),
                    f.stallMs(), f.retransmits(), f.tailProbes(), f.spuriousRetransmits(), f.resets(), f.bytes(), result.tcpWindowMs());
        }
        assertEquals(null, tcp.unavailable(), tcp.toString());
        assertEquals(ClusterRestore.TCP_WINDOW.toMillis(), result.tcpWindowMs(), 0.001);
        assertEquals(VMS, tcp.flows().stream().map(TcpReport.Flow::from).sorted().toList(), "every guest's stream: " + tcp.flows());
        assertEquals(VMS, tcp.flows().stream().map(TcpReport.Flow::to).sorted().toList(), "every guest's sink: " + tcp.flows());
        for (TcpReport.Flow f : tcp.flows()) {
            assertTrue(f.firstDataMs() != null && f.firstDataMs() >= 0 && f.firstDataMs() < FIRST_DATA_BOUND_MS,
                    f.from() + " -> " + f.to() + " resumed after " + f.firstDataMs() + " ms");
            assertEquals(0, f.resets(), f.toString());
            assertTrue(f.bytes() > 0, f.toString());
        }
        List<ClusterEvent> lines = events.stream().filter(e -> "tcp".equals(e.data().path("phase").asText())).toList();
        assertEquals(VMS, lines.stream().map(ClusterEvent::vm).sorted().toList());
        assertTrue(lines.stream().allMatch(e -> e.data().path("flows").size() == 2), "each VM's stream out and in: " + lines);
    }

    private static void verifyCarriesOnFromTheCut(Map<String, Long> tickAtCut) throws Exception {
        for (LabVmStatus vm : LAB.status()) {
            assertEquals("running", vm.state(), vm.name());
            long first = GuestLog.firstTick(Path.of(vm.serialLog()));
            long cutTick = tickAtCut.get(vm.name());
            assertTrue(first >= cutTick && first <= cutTick + 2, vm.name() + ": first tick " + first + " after a cut at tick " + cutTick);
        }
        // Every VM sends and receives again on the connections the cut caught mid-stream.
        TestLab.awaitStreamsFlowing(LAB.status(), Duration.ofSeconds(20));
    }
}
