package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.vm.HoldVisibility;
import io.hotsnap.vm.NicInfo;
import io.hotsnap.vm.VmInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotRequestTest {

    private static VmEntry vm(String host, String name, boolean vhost) {
        List<NicInfo> nics = List.of(new NicInfo("net0", "virtio-net-pci", "52:54:00:00:00:01", "net0", "tap", "tap-" + name, vhost));
        return new VmEntry(host, new VmInfo(name, "/run/" + name + ".qmp", 1L, "running", 256L << 20, "7.2.19", List.of(), nics, null,
                "socket", null, null, HoldVisibility.whyUnseen(name, nics, List.of()), null));
    }

    @Test
    void confirmationNamesEveryVmByHostAndTheModesEffect() {
        String text = new SnapshotRequest(ClusterMode.HOLD, DiskMode.COPY, "")
                .confirmation(List.of(vm("kvm1", "web", false), vm("kvm1", "db", false), vm("kvm2", "cache", false)));

        assertTrue(text.startsWith("Take one hold snapshot of 3 VMs:"), text);
        assertTrue(text.contains("kvm1: web, db") && text.contains("kvm2: cache"), text);
        assertTrue(text.contains("held (queued, not dropped)"), text);
        assertTrue(text.contains("each host's default store"), text);
        assertFalse(text.contains("refuse"), text);
    }

    @Test
    void confirmationWarnsOfAVhostNicBeforeAnythingStarts() {
        String text = new SnapshotRequest(ClusterMode.HOLD, DiskMode.NONE, "/srv/snap")
                .confirmation(List.of(vm("kvm1", "web", true)));

        assertTrue(text.contains("The agents will refuse") && text.contains("kvm1/web: NIC net0 (netdev net0, tap) uses vhost"), text);
        assertTrue(text.contains("use --mode auto or barrier"), text);
        assertTrue(text.contains("/srv/snap") && text.contains("not included"), text);
    }

    @Test
    void autoConfirmationNamesPerVmWhichWayItIsCoveredAndWhyAndRefusesNothing() {
        String text = new SnapshotRequest(ClusterMode.AUTO, DiskMode.COPY, "")
                .confirmation(List.of(vm("kvm1", "web", true), vm("kvm2", "db", false)));

        assertTrue(text.startsWith("Take one auto snapshot of 2 VMs:"), text);
        assertTrue(text.contains("kvm1/web: covered by barrier: NIC net0 (netdev net0, tap) uses vhost"), text);
        assertTrue(text.contains("kvm2/db: covered by hold"), text);
        assertFalse(text.contains("refuse"), text);
    }

    @Test
    void aBlankStoreMeansEachHostsDefaultAndATypedOneIsStripped() {
        assertNull(new SnapshotRequest(ClusterMode.BARRIER, DiskMode.COPY, "  ").options().store());
        assertEquals("/srv/snap", new SnapshotRequest(ClusterMode.BARRIER, DiskMode.COPY, " /srv/snap ").options().store());
        assertEquals(ClusterMode.BARRIER, new SnapshotRequest(ClusterMode.BARRIER, DiskMode.COPY, "").options().mode());
    }
}
