package io.hotsnap.agent;

import io.hotsnap.libvirt.LibvirtSource;
import io.hotsnap.libvirt.Virsh;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.ProxmoxSource;
import io.hotsnap.vm.SocketDirSource;
import io.hotsnap.vm.VmSource;
import io.hotsnap.vm.VmSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The VM sources of this host. Composed here, above {@code vm} and {@code libvirt}, so that
 * {@code vm} defines what a source is without knowing its plug-ins.
 */
public final class HostVmSources {

    private HostVmSources() {
    }

    /**
     * The QMP socket directory, libvirt's {@code qemu:///system} when the {@code virsh} client is
     * installed, Proxmox when its socket directory exists.
     */
    public static VmSources of(Path socketDir, Timeouts timeouts) {
        List<VmSource> found = new ArrayList<>();
        found.add(new SocketDirSource(socketDir));
        if (Virsh.installed()) {
            found.add(LibvirtSource.system(timeouts.qmpCommand()));
        }
        ProxmoxSource proxmox = ProxmoxSource.host();
        if (proxmox.present()) {
            found.add(proxmox);
        }
        return new VmSources(found, timeouts);
    }
}
