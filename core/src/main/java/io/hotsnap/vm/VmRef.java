package io.hotsnap.vm;

/**
 * One VM as its source found it, before anyone asked its QEMU anything.
 *
 * @param name   the name to snapshot it by: socket name, libvirt domain name, Proxmox VM name
 * @param source {@code socket}, {@code libvirt} or {@code proxmox}
 * @param uuid   libvirt's UUID of the domain; null for other sources
 * @param vmid   Proxmox's VMID; null for other sources
 * @param state  the manager's word on the VM's state when it has one (a shut-off domain has no
 *               QEMU to ask), else null
 */
public record VmRef(String name, String source, String uuid, Integer vmid, String state, VmEndpoint endpoint) {

    public static final String SOCKET = "socket";
    public static final String LIBVIRT = "libvirt";
    public static final String PROXMOX = "proxmox";

    /** False for a VM its manager knows but whose QEMU does not run (a shut-off libvirt domain). */
    public boolean hasQemu() {
        return endpoint != null;
    }
}
