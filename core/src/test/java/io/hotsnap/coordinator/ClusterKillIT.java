package io.hotsnap.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.restore.RestoreChoice;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.testing.Abandoned;
import io.hotsnap.testing.Clones;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.VmProbe;
import io.hotsnap.vm.QemuProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safety nets, with real processes killed: a coordinator that dies while every VM is held,
 * and an agent that dies while the background copies run. Each time every VM ends running and
 * ticking, nothing is held, its TCP streams flow, and no snapshot (not even a partial file) stays.
 * And an agent that dies while a restored clone waits paused for the resume: the clone goes.
 */
class ClusterKillIT {

    @RegisterExtension
    static final OwnLab OWN_LAB = OwnLab.of("ck", "hsbr-ck", "10.69.0", 3, 0);
    private static final Lab LAB = OWN_LAB.lab();
    private static final List<String> VMS = List.of("ck1", "ck2", "ck3");

    @TempDir
    Path store;

    @Test
    void killingTheCoordinatorWhileTheVmsAreHeldLeavesThemRunningAndHearing() throws Exception {
        // A stagger keeps the later VMs held for seconds: the kill lands while they are.
        Process coordinator = new ProcessBuilder(javaCommand("snapshot", "--vms", String.join(",", VMS), "--mode", "hold",
                "--stagger-ms", "4000", "--store", store.toString())).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(coordinator.getErrorStream(), StandardCharsets.UTF_8))) {
            long held = 0;
            String line;
            while (held < VMS.size() && (line = err.readLine()) != null) {
                if (line.contains("HOLD_ON")) {
                    held++;
                }
            }
            assertEquals(VMS.size(), held, "every VM held before the kill");
            coordinator.destroyForcibly().waitFor();
        }
        awaitSafe(Duration.ofSeconds(60));
    }

    @Test
    void killingTheAgentDuringTheFullCopiesLeavesTheVmsRunningNoFilesBehindAndTheNextSnapshotClean() throws Exception {
        Set<String> resumed = ConcurrentHashMap.newKeySet();
        try (LocalAgentLink agent = LocalAgentLink.start(Timeouts.defaults())) {
            ClusterException e = assertThrows(ClusterException.class, () -> new Coordinator(List.of(new ClusterTarget(agent, VMS)),
                    ClusterOptions.defaults().withStore(store.toString()).withDiskMode(DiskMode.COPY), event -> {
                        if (event.kind() == EventKind.RESUME && resumed.add(event.vm()) && resumed.size() == VMS.size()) {
                            // Every transient snapshot done, every background copy under way.
                            ProcessHandle.of(agent.pid()).ifPresent(ProcessHandle::destroyForcibly);
                        }
                    }).snapshot());
            assertTrue(e.getMessage().contains("ended"), e.getMessage());
        }
        awaitSafe(Duration.ofSeconds(120));
        // What the dead agent could not undo in QEMU (its disk copy's block node, the background-snapshot
        // capability) must not stand in the way of the next snapshot, nor outlive it.
        try (LocalAgentLink next = LocalAgentLink.start(Timeouts.defaults())) {
            ClusterResult again = Abandoned.retried(() -> new Coordinator(List.of(new ClusterTarget(next, List.of("ck1"))),
                    ClusterOptions.defaults().withStore(store.toString()).withDiskMode(DiskMode.COPY), event -> { }).snapshot());
            assertEquals("committed", again.status());
        }
        VmProbe ck1 = VmProbe.of(Path.of(LAB.status().get(0).qmp()));
        assertTrue(ck1.runningAndClean(), "ck1 after the next snapshot: " + ck1);
    }

    @Test
    void killingTheAgentWhileARestoredCloneWaitsPausedKillsTheCloneAndRemovesItsFiles() throws Exception {
        String clone = "ck1-clone";
        AtomicLong killedAt = new AtomicLong();
        Path vmDir = Path.of(LAB.status().get(0).disk()).getParent();
        Path socketDir = LAB.config().socketDir();
        try (LocalAgentLink snapshotter = LocalAgentLink.start(Timeouts.defaults())) {
            ClusterResult cut = Abandoned.retried(() -> new Coordinator(List.of(new ClusterTarget(snapshotter, List.of("ck1"))),
                    ClusterOptions.defaults().withStore(store.toString()), e -> { }).snapshot());
            List<Path> filesBefore = Clones.filesIn(vmDir);
            try (LocalAgentLink agent = LocalAgentLink.start(Timeouts.defaults())) {
                ClusterRestore restore = new ClusterRestore(cut.id(), store.toString(),
                        List.of(new RestoreTarget(agent, List.of(RestoreChoice.asClone("ck1", clone)))), event -> {
                            if (event.kind() == EventKind.RESTORE && "loaded".equals(event.data().path("phase").asText())) {
                                // Loaded and paused, waiting for the coordinator's resume: the agent dies now.
                                assertTrue(QemuProcess.serving(socketDir.resolve(clone + ".qmp")).isPresent(), "the clone's QEMU runs");
                                killedAt.set(System.nanoTime());
                                ProcessHandle.of(agent.pid()).ifPresent(ProcessHandle::destroyForcibly);
                            }
                        });
                assertThrows(ClusterException.class, restore::restore);
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertTrue(
                    QemuProcess.serving(socketDir.resolve(clone + ".qmp")).isEmpty() && Clones.filesIn(vmDir).equals(filesBefore),
                    "the paused clone or its files outlived its agent: " + Clones.filesIn(vmDir)));
            System.err.printf("[ck] the paused clone and its files gone %.0f ms after its agent was killed%n",
                    (System.nanoTime() - killedAt.get()) / 1e6);
            assertTrue(!Files.exists(socketDir.resolve(clone + ".qmp")), "its QMP socket is removed");
            VmProbe original = VmProbe.of(Path.of(LAB.status().get(0).qmp()));
            assertTrue(original.running(), "the original runs on: " + original.runStatus());
        } finally {
            Clones.remove(clone, socketDir, vmDir);
        }
    }

    /** Every VM running, ticking, unheld, streaming; the store empty (the detached receivers finish and clean up). */
    private void awaitSafe(Duration bound) throws Exception {
        await().atMost(bound).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertTrue(storeEmpty(), "partial snapshot files left in " + store + ": " + listing()));
        for (LabVmStatus vm : LAB.status()) {
            VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
            assertTrue(probe.running(), vm.name() + " is " + probe.runStatus());
            assertEquals(List.of(), probe.holdsOn(), vm.name() + " still held");
            long tick = SerialLog.lastTick(Path.of(vm.serialLog())).orElse(-1);
            GuestLog.awaitTick(Path.of(vm.serialLog()), tick + 1, Duration.ofMillis(1500), vm.name() + "'s guest stopped ticking");
        }
        TestLab.awaitStreamsFlowing(LAB.status(), Duration.ofSeconds(30));
    }

    private boolean storeEmpty() throws Exception {
        try (Stream<Path> entries = Files.list(store)) {
            return entries.findAny().isEmpty();
        }
    }

    private String listing() throws Exception {
        try (Stream<Path> all = Files.walk(store)) {
            return all.map(Path::toString).toList().toString();
        }
    }

    private static List<String> javaCommand(String... args) {
        List<String> c = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.hotsnap.cli.HotsnapCli"));
        c.addAll(List.of(args));
        return c;
    }

    @AfterEach
    void noSinkLeft() throws Exception {
        // A receiver that outlived its agent must have finished by now.
        await("no memory receiver running").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains("MemorySink")
                && p.info().commandLine().orElse("").contains(store.toString())));
    }
}
