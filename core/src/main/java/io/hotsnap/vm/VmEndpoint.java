package io.hotsnap.vm;

import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the engine reaches one VM's QEMU, whatever manages it (DESIGN §3, VM sources): one QMP
 * client, the QEMU process, and what only the manager knows.
 */
public interface VmEndpoint {

    /** What QMP talks to, for messages and the manifest: a socket path, or {@code libvirt:URI/NAME}. */
    String qmpTarget();

    /** A new QMP client, not yet connected. */
    QmpClient qmpClient(Timeouts timeouts);

    /** The QEMU process, if it runs on this host and can be found. */
    Optional<QemuProcess> process();

    /**
     * The host-side tap of each NIC, by MAC, where QEMU got the tap as a descriptor and its
     * {@code info network} names none (libvirt); empty when QEMU names them itself.
     */
    default Map<String, String> tapsByMac() {
        return Map.of();
    }

    /** The libvirt domain this VM is, recorded with a snapshot so a restore brings it back under libvirt; empty for others. */
    default Optional<DomainRecord> domainRecord() {
        return Optional.empty();
    }

    /**
     * The manager that keeps this VM's definition (libvirt, Proxmox), if any: a change to its
     * disks that the manager would not see (an overlay, a stream) is refused for such a VM.
     */
    default Optional<String> manager() {
        return Optional.empty();
    }

    /** Why the VM's manager objects to a snapshot now (a libvirt job); empty when nothing does. */
    default List<String> managerObjections() {
        return List.of();
    }

    /**
     * Hands QEMU an open read-write descriptor of {@code file} as a new fd set, for QEMU to use as
     * {@code /dev/fdset/N} when it cannot open our private files itself (it runs as another user).
     *
     * @return the fd set's id, or empty when this endpoint cannot pass descriptors
     */
    default Optional<Integer> passFile(Path file) {
        return Optional.empty();
    }
}
