package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.cluster.ClusterOptions;
import io.hotsnap.cluster.ClusterResult;
import io.hotsnap.cluster.ClusterTarget;
import io.hotsnap.cluster.Coordinator;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.protocol.LocalAgentLink;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.testing.GuestDisk;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.TestLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of a consistent cut: a group of communicating VMs restored from it together carries
 * on, TCP connections included, from one instant. Its own lab, since every VM is replaced.
 */
class CoordinatedRestoreIT {

    @RegisterExtension
    static final OwnLab OWN_LAB = OwnLab.of("cr", "hsbr-cr", "10.71.0", 3, 0);
    private static final Lab LAB = OWN_LAB.lab();
    private static final List<String> VMS = List.of("cr1", "cr2", "cr3");

    @TempDir
    static Path storeDir;



    @Test
    void restoringAHoldModeCutTogetherResumesEveryGuestAndEveryTcpStreamFromTheCut() throws Exception {
        ClusterResult cut;
        try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
            cut = new Coordinator(List.of(new ClusterTarget(link, VMS)), ClusterOptions.defaults().withStore(storeDir.toString()),
                    e -> { }).snapshot();
        }
        SnapshotStore store = new SnapshotStore(storeDir);
        Manifest manifest = store.read(cut.id()).orElseThrow();
        Map<String, Long> tickAtCut = new HashMap<>();
        for (VmPart part : manifest.vms()) {
            tickAtCut.put(part.name(), GuestDisk.tickInSectorZero(store.partDir(cut.id(), part.name()).resolve("disk0.qcow2")));
        }
        Thread.sleep(3000); // the guests run on past the cut

        VmRestore restorer = new VmRestore(Timeouts.defaults());
        List<VmRestore.Plan> plans = new ArrayList<>();
        for (VmPart part : manifest.vms()) {
            plans.add(restorer.plan(cut.id(), store.partDir(cut.id(), part.name()), part, Optional.empty()));
        }
        List<RestoredVm> restored = restorer.restoreTogether(plans);

        assertEquals(VMS, restored.stream().map(RestoredVm::name).sorted().toList());
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
