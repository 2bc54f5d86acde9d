package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

    private static final List<String> LAB_VM = List.of("qemu-system-x86_64", "-name", "lab1", "-M", "pc",
            "-serial", "file:/run/hotsnap/lab/lab1.serial.log", "-qmp", "unix:/run/hotsnap/lab1.qmp,server=on,wait=off",
            "-drive", "file=/run/hotsnap/lab/lab1.qcow2,if=none,id=disk0,node-name=lab1-disk0,format=qcow2",
            "-netdev", "tap,id=net0,ifname=hs-lab1,script=no,downscript=no,vhost=off",
            "-device", "virtio-net-pci,netdev=net0,mac=52:54:00:01:02:03,id=nic0",
            "-pidfile", "/run/hotsnap/lab/lab1.pid", "-daemonize");
    private static final Map<String, Path> OVERLAY = Map.of("/run/hotsnap/lab/lab1.qcow2", Path.of("/run/hotsnap/lab/lab1-disk0-from-X.qcow2"));

    @Test
    void inPlaceKeepsEverythingButTheDiskAndWaitsForItsMemory() {
        List<String> out = QemuCommandLine.forRestore(LAB_VM, OVERLAY, Optional.empty());
        assertEquals("file=/run/hotsnap/lab/lab1-disk0-from-X.qcow2,if=none,id=disk0,node-name=lab1-disk0,format=qcow2",
                out.get(out.indexOf("-drive") + 1));
        assertEquals(List.of("-incoming", "defer", "-S"), out.subList(out.size() - 3, out.size()));
        assertEquals(LAB_VM.subList(0, 9), out.subList(0, 9));
        assertEquals(LAB_VM.get(LAB_VM.indexOf("-netdev") + 1), out.get(out.indexOf("-netdev") + 1), "in place keeps its own tap");
    }

    @Test
    void earlierIncomingAndPausedStartAreNotCarriedOver() {
        List<String> recorded = new java.util.ArrayList<>(LAB_VM);
        recorded.addAll(List.of("-incoming", "defer", "-S"));
        List<String> out = QemuCommandLine.forRestore(recorded, OVERLAY, Optional.empty());
        assertEquals(1, out.stream().filter("-incoming"::equals).count());
        assertEquals(1, out.stream().filter("-S"::equals).count());
    }

    @Test
    void cloneGetsItsOwnNameSocketLogPidfileAndAnIsolatedTap() {
        QemuCommandLine.Clone clone = new QemuCommandLine.Clone("copy1", Path.of("/run/hotsnap/copy1.qmp"),
                Path.of("/run/hotsnap/lab/copy1.serial.log"), Path.of("/run/hotsnap/lab/copy1.pid"));
        List<String> out = QemuCommandLine.forRestore(LAB_VM, OVERLAY, Optional.of(clone));
        assertEquals("copy1", out.get(out.indexOf("-name") + 1));
        assertEquals("unix:/run/hotsnap/copy1.qmp,server=on,wait=off", out.get(out.indexOf("-qmp") + 1));
        assertEquals("file:/run/hotsnap/lab/copy1.serial.log", out.get(out.indexOf("-serial") + 1));
        assertEquals("/run/hotsnap/lab/copy1.pid", out.get(out.indexOf("-pidfile") + 1));
        assertEquals("tap,id=net0,ifname=hsc-copy1,script=no,downscript=no,vhost=off", out.get(out.indexOf("-netdev") + 1));
    }

    /** A Proxmox VE 8 command line as {@code /proc/PID/cmdline} gives it (its QEMU is {@code /usr/bin/kvm}). */
    private static final List<String> PROXMOX_VM = List.of("/usr/bin/kvm", "-id", "101", "-name", "web1,debug-threads=on", "-no-shutdown",
            "-chardev", "socket,id=qmp,path=/var/run/qemu-server/101.qmp,server=on,wait=off", "-mon", "chardev=qmp,mode=control",
            "-chardev", "socket,id=qmp-event,path=/var/run/qmeventd.sock,reconnect=5", "-mon", "chardev=qmp-event,mode=control",
            "-pidfile", "/var/run/qemu-server/101.pid", "-daemonize", "-nodefaults", "-vnc", "unix:/var/run/qemu-server/101.vnc,password=on",
            "-m", "2048", "-drive", "file=/var/lib/vz/images/101/vm-101-disk-0.qcow2,if=none,id=drive-scsi0,format=qcow2,cache=none,aio=io_uring",
            "-netdev", "type=tap,id=net0,ifname=tap101i0,script=/var/lib/qemu-server/pve-bridge,downscript=/var/lib/qemu-server/pve-bridgedown,vhost=on",
            "-device", "virtio-net-pci,mac=BC:24:11:00:01:01,netdev=net0,bus=pci.0,addr=0x12,id=net0",
            "-machine", "type=pc-i440fx-8.0+pve0");

    @Test
    void aProxmoxVmsCloneKeepsProxmoxsCommandLineButNothingThatWouldPassItForTheVmProxmoxManages() {
        QemuCommandLine.Clone clone = new QemuCommandLine.Clone("web1-copy", Path.of("/srv/hotsnap/s1/web1/web1-copy.qmp"),
                Path.of("/srv/hotsnap/s1/web1/web1-copy.serial.log"), Path.of("/srv/hotsnap/s1/web1/web1-copy.pid"));
        List<String> out = QemuCommandLine.forRestore(PROXMOX_VM, Map.of("/var/lib/vz/images/101/vm-101-disk-0.qcow2", Path.of("/var/lib/vz/images/101/o.qcow2")),
                Optional.of(clone));

        assertEquals(List.of("/usr/bin/kvm", "-name", "web1-copy,debug-threads=on", "-no-shutdown",
                "-chardev", "socket,id=qmp,path=/srv/hotsnap/s1/web1/web1-copy.qmp,server=on,wait=off", "-mon", "chardev=qmp,mode=control",
                "-pidfile", "/srv/hotsnap/s1/web1/web1-copy.pid", "-daemonize", "-nodefaults", "-vnc", "unix:/srv/hotsnap/s1/web1/web1-copy.vnc,password=on",
                "-m", "2048", "-drive", "file=/var/lib/vz/images/101/o.qcow2,if=none,id=drive-scsi0,format=qcow2,cache=none,aio=io_uring",
                "-netdev", "type=tap,id=net0,ifname=hsc-web1-copy,script=no,downscript=no,vhost=on",
                "-device", "virtio-net-pci,mac=BC:24:11:00:01:01,netdev=net0,bus=pci.0,addr=0x12,id=net0",
                "-machine", "type=pc-i440fx-8.0+pve0", "-incoming", "defer", "-S"), out);
        assertEquals(2, ProgramCheck.optionRefusals(PROXMOX_VM).size(), "the recorded line runs pve-bridge and pve-bridgedown");
        assertEquals(List.of(), ProgramCheck.optionRefusals(out), "the clone's runs no script");
    }

    @Test
    void diskTheCommandLineDoesNotOpenIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QemuCommandLine.forRestore(LAB_VM,
                Map.of("/elsewhere/other.qcow2", Path.of("/tmp/o.qcow2")), Optional.empty()));
        assertTrue(e.getMessage().contains("/elsewhere/other.qcow2"), e.getMessage());
    }

    @Test
    void aPathThatOnlyStartsLikeTheDiskIsNotSwapped() {
        List<String> recorded = List.of("qemu-system-x86_64", "-drive", "file=/d/a.qcow2.bak,if=none,readonly=on", "-drive", "file=/d/a.qcow2,if=none");
        List<String> out = QemuCommandLine.forRestore(recorded, Map.of("/d/a.qcow2", Path.of("/d/o.qcow2")), Optional.empty());
        assertEquals("file=/d/a.qcow2.bak,if=none,readonly=on", out.get(2));
        assertEquals("file=/d/o.qcow2,if=none", out.get(4));
    }

    @Test
    void aWritableDiskTheSnapshotDidNotCopyIsRefusedAndReadOnlyOnesAreNot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QemuCommandLine.forRestore(LAB_VM, Map.of(), Optional.empty()));
        assertEquals("the VM writes disk /run/hotsnap/lab/lab1.qcow2, of which the snapshot has no copy (taken with --disk none):"
                + " its memory would run on a disk that changed since", e.getMessage());
        List<String> blockdev = List.of("qemu-system-x86_64", "-blockdev",
                "{\"driver\":\"file\",\"filename\":\"/v/a.img\",\"node-name\":\"s1\",\"read-only\":false}");
        assertThrows(IllegalArgumentException.class, () -> QemuCommandLine.forRestore(blockdev, Map.of(), Optional.empty()));
        List<String> readOnly = List.of("qemu-system-x86_64", "-drive", "file=/iso/a.iso,media=cdrom", "-blockdev",
                "{\"driver\":\"file\",\"filename\":\"/v/b.img\",\"node-name\":\"s2\",\"read-only\":true}");
        assertEquals(readOnly, QemuCommandLine.forRestore(readOnly, Map.of(), Optional.empty()).subList(0, 5));
    }

    @Test
    void notAQemuCommandLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> QemuCommandLine.forRestore(List.of("bash"), Map.of(), Optional.empty()));
    }
}
