package io.hotsnap.vm;

import io.hotsnap.qmp.PatientSocketTransport;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proxmox VE's VMs: one QMP socket per VM in {@code /var/run/qemu-server/VMID.qmp}, the name in
 * {@code /etc/pve/qemu-server/VMID.conf} ({@code name:} line). Proxmox's own tools use the same
 * sockets, so a connection is opened for one operation only and retried briefly while busy.
 * A VM is found by its name or its VMID.
 */
public final class ProxmoxSource implements VmSource {


    private final Path qmpDir;
    private final Path confDir;

    public ProxmoxSource(Path qmpDir, Path confDir) {
        this.qmpDir = qmpDir;
        this.confDir = confDir;
    }

    /**
     * The host's Proxmox layout under {@code HOTSNAP_PROXMOX_ROOT} (tests), else under {@code /}.
     */
    public static ProxmoxSource host() {
        Path root = Path.of(Optional.ofNullable(System.getenv("HOTSNAP_PROXMOX_ROOT")).filter(s -> !s.isBlank()).orElse("/"));
        return new ProxmoxSource(root.resolve("var/run/qemu-server"), root.resolve("etc/pve/qemu-server"));
    }

    /**
     * The VMID of the Proxmox VM whose QMP socket this is ({@code …/run/qemu-server/VMID.qmp}, under
     * whatever root), else empty: what a snapshot recorded tells a restore the VM was Proxmox's.
     */
    public static Optional<Integer> vmidOf(Path qmpSocket) {
        Path dir = qmpSocket.getParent();
        String file = qmpSocket.getFileName().toString();
        return dir != null && dir.endsWith("run/qemu-server") && file.matches("\\d{1,9}\\.qmp")
                ? Optional.of(Integer.parseInt(file.substring(0, file.length() - 4))) : Optional.empty();
    }

    /** True if this host has Proxmox's socket directory. */
    public boolean present() {
        return Files.isDirectory(qmpDir);
    }

    @Override
    public String kind() {
        return VmRef.PROXMOX;
    }

    @Override
    public List<VmRef> list() {
        List<VmRef> refs = new ArrayList<>();
        if (!present()) {
            return refs;
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(qmpDir, "[0-9]*.qmp")) {
            for (Path socket : found) {
                String id = socket.getFileName().toString().replaceFirst("\\.qmp$", "");
                if (id.matches("\\d+")) {
                    refs.add(ref(Integer.parseInt(id), socket));
                }
            }
        } catch (IOException e) {
            throw new VmSourceException("cannot list Proxmox's " + qmpDir + ": " + e.getMessage());
        }
        return refs;
    }

    @Override
    public Optional<VmRef> find(String name) {
        return list().stream().filter(r -> r.name().equals(name) || r.vmid().toString().equals(name)).findFirst();
    }

    private VmRef ref(int vmid, Path socket) {
        return new VmRef(name(vmid), VmRef.PROXMOX, null, vmid, null, new ProxmoxEndpoint(socket));
    }

    /** The {@code name:} of the VM's config; Proxmox's own default ({@code VM VMID}) is not a usable name, the VMID is. */
    private String name(int vmid) {
        try {
            for (String line : Files.readAllLines(confDir.resolve(vmid + ".conf"))) {
                // The current config comes first; [snapshot] sections after it have their own names.
                if (line.startsWith("[")) {
                    break;
                }
                if (line.startsWith("name:")) {
                    return line.substring(5).strip();
                }
            }
        } catch (IOException e) {
            // no readable config: the VMID names it
        }
        return Integer.toString(vmid);
    }

    /** A Proxmox VM's socket, connected patiently (see {@link PatientSocketTransport}). */
    record ProxmoxEndpoint(Path socket) implements VmEndpoint {

        @Override
        public String qmpTarget() {
            return socket.toString();
        }

        @Override
        public QmpClient qmpClient(Timeouts timeouts) {
            return new QmpClient(socket.toString(), mapper -> new PatientSocketTransport(mapper, socket, Waits.BUSY_SOCKET), timeouts);
        }

        @Override
        public Optional<QemuProcess> process() {
            return QemuProcess.serving(socket);
        }

        @Override
        public Optional<String> manager() {
            return Optional.of("Proxmox");
        }
    }
}
