package io.hotsnap.vm;

import java.util.List;

/**
 * One VM of this host as its source and its QMP describe it. A VM whose QMP does not answer is
 * still listed, with {@code error} saying why, so nothing disappears silently from the inventory.
 *
 * @param qmp    what QMP talks to: the socket path, or {@code libvirt:URI/NAME}
 * @param source {@code socket}, {@code libvirt} or {@code proxmox} (see {@link VmRef})
 * @param uuid   libvirt's domain UUID; null for other sources
 * @param vmid   Proxmox's VMID; null for other sources
 * @param holdUnseen why QEMU's inbound hold cannot see the VM's inbound traffic ({@link HoldVisibility}); null when it can
 * @param qemuName QEMU's own name ({@code -name}, {@code query-name}): what the administrator typed,
 *               which may differ from {@code name} (a socket's file name); null when QEMU has none or was not asked
 */
public record VmInfo(
        String name,
        String qmp,
        Long pid,
        String state,
        Long memoryBytes,
        String qemuVersion,
        List<DiskInfo> disks,
        List<NicInfo> nics,
        String error,
        String source,
        String uuid,
        Integer vmid,
        String holdUnseen,
        String qemuName) {

    static VmInfo unreachable(VmRef ref, String qmp, Long pid, String reason) {
        return new VmInfo(ref.name(), qmp, pid, "unreachable", null, null, List.of(), List.of(), reason, ref.source(), ref.uuid(), ref.vmid(), null, null);
    }

    /** A VM its manager knows but whose QEMU does not run (a shut-off libvirt domain). */
    static VmInfo notRunning(VmRef ref) {
        return new VmInfo(ref.name(), null, null, ref.state(), null, null, List.of(), List.of(), null, ref.source(), ref.uuid(), ref.vmid(), null, null);
    }

    /** Whether {@code typed} names this VM: its inventory name, or QEMU's own {@code -name}. */
    public boolean isNamed(String typed) {
        return name.equals(typed) || typed.equals(qemuName);
    }
}
