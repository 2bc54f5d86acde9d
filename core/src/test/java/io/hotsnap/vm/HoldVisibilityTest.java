package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which VMs the inbound hold cannot see, read from recorded QEMU command lines as libvirt, Proxmox
 * and hand-started QEMUs write them (this machine has no {@code /dev/vhost-net} to make real ones).
 */
class HoldVisibilityTest {

    private static QemuProcess qemu(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=web"));
        cmd.addAll(List.of(args));
        return new QemuProcess(1, cmd);
    }

    @Test
    void libvirtsKeyvalTapWithVhostDescriptorsIsSeen() {
        QemuProcess p = qemu("-netdev", "tap,fds=24:26,id=hostnet0,vhost=on,vhostfds=27:28",
                "-device", "virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:aa:bb:cc");
        assertEquals(Set.of("hostnet0"), p.vhostNetdevsOnCommandLine());
    }

    @Test
    void proxmoxsTapWithVhostOnIsSeenAndEveryTrueSpellingCounts() {
        assertEquals(Set.of("net0"), qemu("-netdev", "type=tap,id=net0,ifname=tap100i0,script=/var/lib/qemu-server/pve-bridge,vhost=on")
                .vhostNetdevsOnCommandLine());
        assertEquals(Set.of("n1", "n2"), qemu("-netdev", "tap,id=n1,vhost=yes", "-netdev", "tap,vhost=true,id=n2").vhostNetdevsOnCommandLine());
    }

    @Test
    void libvirtsJsonTapWithVhostTrueIsSeen() {
        QemuProcess p = qemu("-netdev", "{\"type\":\"tap\",\"fds\":\"31:32\",\"vhost\":true,\"vhostfds\":\"33:34\",\"id\":\"hostnet0\"}",
                "-netdev", "{\"type\":\"tap\",\"fd\":\"35\",\"id\":\"hostnet1\"}");
        assertEquals(Set.of("hostnet0"), p.vhostNetdevsOnCommandLine());
    }

    @Test
    void vhostOffAndPlainTapsAreHoldable() {
        QemuProcess p = qemu("-netdev", "tap,id=net0,ifname=tap0,script=no,downscript=no,vhost=off",
                "-netdev", "{\"type\":\"tap\",\"vhost\":false,\"id\":\"hostnet1\"}", "-netdev", "user,id=net2");
        assertEquals(Set.of(), p.vhostNetdevsOnCommandLine());
        assertEquals(List.of(), p.passedThroughDevices());
    }

    @Test
    void vhostUserInBothFormsIsSeen() {
        QemuProcess p = qemu("-chardev", "socket,id=char1,path=/run/vhost-user.sock",
                "-netdev", "vhost-user,id=vu0,chardev=char1,queues=2",
                "-netdev", "{\"type\":\"vhost-user\",\"chardev\":\"charnet1\",\"id\":\"hostnet1\"}");
        assertEquals(Set.of("vu0", "hostnet1"), p.vhostNetdevsOnCommandLine());
    }

    @Test
    void vfioPciDevicesAreNamedByTheirHostAddressInBothForms() {
        QemuProcess p = qemu("-device", "vfio-pci,host=0000:03:00.1,id=hostdev0,bus=pci.0,addr=0x6",
                "-device", "{\"driver\":\"vfio-pci\",\"host\":\"0000:04:10.2\",\"id\":\"hostdev1\",\"bus\":\"pci.0\"}",
                "-device", "virtio-net-pci,netdev=net0,id=nic0");
        assertEquals(List.of("0000:03:00.1", "0000:04:10.2"), p.passedThroughDevices());
    }

    @Test
    void theReasonNamesEveryNicAndDeviceTheHoldCannotSee() {
        List<NicInfo> nics = List.of(new NicInfo("net0", "virtio-net-pci", "52:54:00:00:00:01", "hostnet0", "tap", "vnet0", true),
                new NicInfo("net1", "virtio-net-pci", "52:54:00:00:00:02", "hostnet1", "vhost-user", null, false),
                new NicInfo("net2", "e1000", "52:54:00:00:00:03", "hostnet2", "tap", "vnet2", false));
        String why = HoldVisibility.whyUnseen("web", nics, List.of("0000:03:00.1"));
        assertTrue(why.contains("NIC net0 (netdev hostnet0, tap) uses vhost"), why);
        assertTrue(why.contains("NIC net1 (netdev hostnet1, vhost-user) uses vhost"), why);
        assertTrue(!why.contains("net2"), why);
        assertTrue(why.contains("0000:03:00.1 is passed through (vfio-pci)"), why);
    }

    @Test
    void aVmWithOnlyPlainTapsIsSeenUnlessTheTestSeamDeclaresIt() {
        List<NicInfo> nics = List.of(new NicInfo("net0", "virtio-net-pci", "52:54:00:00:00:01", "net0", "tap", "tap0", false));
        assertNull(HoldVisibility.whyUnseen("lab1", nics, List.of()));
        System.setProperty(HoldVisibility.DECLARED_UNSEEN_PROPERTY, "lab2,lab1");
        try {
            assertTrue(HoldVisibility.whyUnseen("lab1", nics, List.of()).contains(HoldVisibility.DECLARED_UNSEEN_PROPERTY));
            assertNull(HoldVisibility.whyUnseen("lab", nics, List.of()));
        } finally {
            System.clearProperty(HoldVisibility.DECLARED_UNSEEN_PROPERTY);
        }
    }
}
