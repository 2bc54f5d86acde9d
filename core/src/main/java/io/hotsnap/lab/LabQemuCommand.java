package io.hotsnap.lab;

import java.util.List;

/**
 * The QEMU command line of one lab VM. {@code pc} machine and a direct ELF kernel boot because
 * those are what boot reliably under TCG (STACK.md); a virtio NIC without vhost so the inbound hold
 * ({@code filter-buffer}) can see its traffic; {@code -daemonize} so the VM outlives {@code lab up}.
 */
final class LabQemuCommand {

    private LabQemuCommand() {
    }

    static List<String> of(LabVmSpec vm, GuestImage image, Accelerator.Choice accel, int dirtyMiBps) {
        String append = String.join(" ",
                GuestImage.KERNEL_OPTIONS,
                "hs.name=" + vm.name(),
                "hs.ip=" + vm.ip() + "/24",
                "hs.peer=" + vm.peerIp(),
                "hs.dirty=" + dirtyMiBps);
        return List.of(
                "qemu-system-x86_64",
                "-name", vm.name(),
                "-M", "pc",
                "-accel", accel.qemuName(),
                "-m", Integer.toString(vm.memoryMiB()),
                "-smp", "1",
                "-nodefaults", "-no-user-config",
                "-display", "none",
                "-kernel", image.vmlinux().toString(),
                "-initrd", image.initrd().toString(),
                "-append", append,
                "-serial", "file:" + vm.serialLog(),
                "-qmp", "unix:" + vm.qmp() + ",server=on,wait=off",
                "-drive", "file=" + vm.disk() + ",if=none,id=disk0,node-name=" + vm.name() + "-disk0,format=qcow2",
                "-device", "virtio-blk-pci,drive=disk0,id=vda",
                "-netdev", "tap,id=net0,ifname=" + vm.tap() + ",script=no,downscript=no,vhost=off",
                "-device", "virtio-net-pci,netdev=net0,mac=" + vm.mac() + ",id=nic0",
                "-pidfile", vm.pidFile().toString(),
                "-daemonize");
    }
}
