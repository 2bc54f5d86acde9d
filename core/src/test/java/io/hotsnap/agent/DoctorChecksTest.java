package io.hotsnap.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.HostCheck;
import io.hotsnap.protocol.HostCheck.Status;
import io.hotsnap.vm.DiskInfo;
import io.hotsnap.vm.HoldVisibility;
import io.hotsnap.vm.NicInfo;
import io.hotsnap.vm.VmInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each line of the host check decided on inputs recorded from real hosts. */
class DoctorChecksTest {

    private static final String QEMU_72 = "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)\n"
            + "Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n";
    private static final String QEMU_50 = "QEMU emulator version 5.0.1 (Debian 1:5.0-14)\nCopyright (c) 2003-2020 Fabrice Bellard\n";
    private static final String QEMU_60 = "QEMU emulator version 6.0.0\nCopyright (c) 2003-2021 Fabrice Bellard\n";

    @Test
    void javaSeventeenIsOkAndElevenFails() {
        assertEquals(Status.OK, DoctorChecks.java(17, "17.0.15+6-Debian-1deb12u1", "/usr/lib/jvm/java-17").status());
        HostCheck old = DoctorChecks.java(11, "11.0.22+7", "/usr/lib/jvm/java-11");
        assertEquals(Status.FAIL, old.status());
        assertTrue(old.fix().contains("openjdk-17"), old.fix());
    }

    @Test
    void qemuFromSixOnHasBackgroundSnapshotAndOlderFailsOnlyTheModesThatNeedIt() {
        HostCheck current = DoctorChecks.qemu("qemu-system-x86_64", Optional.of(QEMU_72));
        assertEquals(Status.OK, current.status());
        assertTrue(current.detail().contains("7.2.22"), current.detail());
        assertEquals(Status.OK, DoctorChecks.qemu("qemu-system-x86_64", Optional.of(QEMU_60)).status());

        HostCheck old = DoctorChecks.qemu("qemu-system-x86_64", Optional.of(QEMU_50));
        assertEquals(Status.FAIL, old.status());
        assertTrue(old.detail().contains("5.0.1") && old.detail().contains("background-snapshot"), old.detail());
        assertTrue(old.modes().containsAll(List.of("hold", "barrier", "independent", "hotsnap")), old.modes().toString());
        assertTrue(!old.modes().contains("precopy") && !old.modes().contains("stopcopy"), "the baselines need no background-snapshot");
    }

    @Test
    void qemuMissingOrSilentFailsWithWhatToInstall() {
        HostCheck missing = DoctorChecks.qemu("qemu-system-x86_64", Optional.empty());
        assertEquals(Status.FAIL, missing.status());
        assertTrue(missing.fix().contains("apt-get install qemu-system-x86"), missing.fix());
        assertEquals(Status.FAIL, DoctorChecks.qemu("qemu-system-x86_64", Optional.of("error while loading shared libraries: libslirp.so.0")).status());
    }

    @Test
    void aRunningVmOnAnOldQemuIsNamedEvenWhenTheBinaryOnPathIsNew() {
        List<HostCheck> lines = DoctorChecks.vmQemu(List.of(vm("web", "5.2.0", List.of()), vm("db", "7.2.22", List.of())));
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(Status.FAIL, lines.get(0).status());
        assertEquals("QEMU of web", lines.get(0).check());
    }

    @Test
    void kernelFromFiveSevenHasWriteProtect() {
        assertEquals(Status.OK, DoctorChecks.kernel("6.1.0-28-amd64", true).status());
        assertEquals(Status.OK, DoctorChecks.kernel("5.7.0", true).status());
        HostCheck old = DoctorChecks.kernel("5.4.0-186-generic", true);
        assertEquals(Status.FAIL, old.status());
        assertTrue(old.detail().contains("write-protect"), old.detail());
        assertEquals(Status.FAIL, DoctorChecks.kernel("6.1.0", false).status(), "no userfaultfd at all");
        assertEquals(Status.WARN, DoctorChecks.kernel("custom", true).status());
    }

    @Test
    void unprivilegedUserfaultfdFailsOnlyWhereQemuIsNotRootAndSaysWhatTurningItOnMeans() {
        HostCheck blocked = DoctorChecks.unprivilegedUserfaultfd(Optional.of("0\n"), List.of("win10"), true);
        assertEquals(Status.FAIL, blocked.status());
        assertTrue(blocked.detail().contains("win10"), blocked.detail());
        assertTrue(blocked.fix().contains("sysctl vm.unprivileged_userfaultfd=1") && blocked.fix().contains("trade-off"), blocked.fix());

        assertEquals(Status.WARN, DoctorChecks.unprivilegedUserfaultfd(Optional.of("0\n"), List.of(), true).status(),
                "libvirt's QEMU would not be root");
        assertEquals(Status.OK, DoctorChecks.unprivilegedUserfaultfd(Optional.of("0\n"), List.of(), false).status(), "root QEMU only");
        HostCheck on = DoctorChecks.unprivilegedUserfaultfd(Optional.of("1\n"), List.of("win10"), true);
        assertEquals(Status.OK, on.status());
        assertTrue(on.detail().contains("trade-off"), on.detail());
        assertEquals(Status.FAIL, DoctorChecks.unprivilegedUserfaultfd(Optional.empty(), List.of("win10"), false).status());
    }

    @Test
    void aMissingTcpdumpCostsTheFiguresAndAMissingNftTheBaselines() {
        HostCheck tcpdump = DoctorChecks.tcpdump(false);
        assertEquals(Status.WARN, tcpdump.status());
        assertEquals("apt-get install tcpdump", tcpdump.fix());
        assertEquals(Status.OK, DoctorChecks.tcpdump(true).status());

        HostCheck nft = DoctorChecks.nftables(false);
        assertEquals(Status.FAIL, nft.status());
        assertEquals(List.of("precopy", "stopcopy"), nft.modes());
        assertEquals(Status.OK, DoctorChecks.nftables(true).status());
    }

    @Test
    void storeSpaceFailsBelowWhatEveryRunningVmNeeds() {
        HostCheck tight = DoctorChecks.storeSpace("/var/lib/hotsnap/snapshots", 100L << 20, 768L << 20);
        assertEquals(Status.FAIL, tight.status());
        assertTrue(tight.detail().contains("100 MiB free") && tight.detail().contains("768 MiB"), tight.detail());
        assertEquals(Status.OK, DoctorChecks.storeSpace("/srv", 10L << 30, 768L << 20).status());
    }

    @Test
    void vhostNicsAreListedAsCoveredByBarrierUnderAutoAndRefusedByHold() {
        NicInfo vhost = new NicInfo("net0", "virtio-net-pci", "52:54:00:00:00:01", "hostnet0", "tap", "vnet0", true);
        NicInfo plain = new NicInfo("net0", "virtio-net-pci", "52:54:00:00:00:02", "hostnet0", "tap", "vnet1", false);
        VmInfo web = vm("web", "7.2.22", List.of(vhost), HoldVisibility.whyUnseen("web", List.of(vhost), List.of()));
        HostCheck line = DoctorChecks.vhost(List.of(web, vm("db", "7.2.22", List.of(plain))));
        assertEquals(Status.WARN, line.status());
        assertTrue(line.detail().startsWith("web (") && line.detail().contains("net0") && !line.detail().contains("db"), line.detail());
        assertTrue(line.detail().contains("covered by barrier under --mode auto; refused by --mode hold"), line.detail());
        assertEquals(List.of("hold"), line.modes());
        assertEquals(Status.OK, DoctorChecks.vhost(List.of(vm("db", "7.2.22", List.of(plain)))).status());
    }

    @Test
    void libvirtThatDoesNotAnswerWarnsAndAnAbsentManagerIsJustSaid() {
        List<HostCheck> down = DoctorChecks.managers(true, false, List.of(),
                List.of("libvirt (qemu:///system) does not answer: failed to connect to the hypervisor"));
        assertEquals(Status.WARN, down.get(0).status());
        assertTrue(down.get(0).detail().contains("does not answer"), down.get(0).detail());
        assertEquals(Status.OK, down.get(1).status());
        assertTrue(down.get(1).detail().contains("not a Proxmox host"), down.get(1).detail());

        VmInfo domain = new VmInfo("win10", "libvirt:qemu:///system/win10", 42L, "running", 1L << 30, "7.2.22", List.of(), List.of(), null,
                "libvirt", "6f0c", null, null, null);
        assertTrue(DoctorChecks.managers(true, false, List.of(domain), List.of()).get(0).detail().contains("1 VM(s)"));
    }

    private static VmInfo vm(String name, String qemu, List<NicInfo> nics) {
        return vm(name, qemu, nics, null);
    }

    private static VmInfo vm(String name, String qemu, List<NicInfo> nics, String holdUnseen) {
        return new VmInfo(name, "/run/hotsnap/" + name + ".qmp", 100L, "running", 256L << 20, qemu,
                List.of(new DiskInfo("virtio0", "drive0", "/var/lib/" + name + ".qcow2", "qcow2", 1L << 30)), nics, null, "socket", null, null,
                holdUnseen, null);
    }
}
