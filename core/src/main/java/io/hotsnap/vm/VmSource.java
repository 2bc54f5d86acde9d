package io.hotsnap.vm;

import java.util.List;
import java.util.Optional;

/** Where a host's VMs come from: a directory of QMP sockets, libvirt, Proxmox. */
public interface VmSource {

    /** {@code socket}, {@code libvirt} or {@code proxmox}. */
    String kind();

    /**
     * The VMs this source knows.
     *
     * @throws VmSourceException when the source exists on this host but cannot be asked (libvirtd down)
     */
    List<VmRef> list();

    /** The VM called {@code name}, if this source has it; may throw as {@link #list()}. */
    default Optional<VmRef> find(String name) {
        return list().stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
