package io.hotsnap.agent;

import io.hotsnap.host.HostClock;
import io.hotsnap.host.HostCommand;
import io.hotsnap.libvirt.Virsh;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.DoctorResult;
import io.hotsnap.protocol.HostCheck;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import io.hotsnap.settings.Waits;
import io.hotsnap.vm.DiskInfo;
import io.hotsnap.vm.ProxmoxSource;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.VmInfo;
import io.hotsnap.vm.VmInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code doctor}: reads what this host has ({@link DoctorChecks} decides each line). Reads only:
 * no store is created, no sysctl changed, no VM touched beyond the inventory's queries.
 */
final class HostDoctor implements AgentHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HostDoctor.class);
    private static final String QEMU_BINARY = "qemu-system-x86_64";
    private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");
    private static final Path UNPRIVILEGED_USERFAULTFD = Path.of("/proc/sys/vm/unprivileged_userfaultfd");

    private final VmInventory inventory;

    HostDoctor(VmInventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public void addRoutes(RequestRoutes routes) {
        routes.on(Request.Doctor.class, r -> check(r.store()));
    }

    @Override
    public void coordinatorLost() {
        // a check holds nothing
    }

    private DoctorResult check(String store) {
        long started = System.nanoTime();
        VmInventory.Survey survey = inventory.survey();
        long surveyed = System.nanoTime();
        List<VmInfo> vms = survey.vms();
        List<HostCheck> lines = new ArrayList<>();
        Runtime.Version java = Runtime.version();
        lines.add(DoctorChecks.java(java.feature(), java.toString(), System.getProperty("java.home")));
        lines.add(DoctorChecks.qemu(QEMU_BINARY, qemuVersionOutput()));
        lines.addAll(DoctorChecks.vmQemu(vms));
        Optional<String> uffd = read(UNPRIVILEGED_USERFAULTFD);
        lines.add(DoctorChecks.kernel(read(OSRELEASE).map(String::strip).orElse(System.getProperty("os.version")), uffd.isPresent()));
        boolean virsh = Virsh.installed();
        lines.add(DoctorChecks.unprivilegedUserfaultfd(uffd, notRoot(vms), virsh));
        lines.add(DoctorChecks.tcpdump(HostCommand.onPath("tcpdump")));
        lines.add(DoctorChecks.nftables(HostCommand.onPath("nft")));
        lines.add(storeSpace(store == null ? CatalogRequests.store(null).root() : Path.of(store), vms));
        lines.add(DoctorChecks.vhost(vms));
        lines.addAll(DoctorChecks.managers(virsh, ProxmoxSource.host().present(), vms, survey.unavailable()));
        LOG.info("Host checked in {} ms ({} ms of it the inventory of {} VMs)", (System.nanoTime() - started) / 1_000_000,
                (surveyed - started) / 1_000_000, vms.size());
        return new DoctorResult(HostClock.hostName(), lines);
    }

    /** What {@code qemu-system-x86_64 --version} printed, its error output included; empty when it is not on PATH. */
    private static Optional<String> qemuVersionOutput() {
        if (!HostCommand.onPath(QEMU_BINARY)) {
            return Optional.empty();
        }
        HostCommand.Result r = HostCommand.run(List.of(QEMU_BINARY, "--version"), Waits.QEMU_VERSION);
        return Optional.of(r.stdout() + r.stderr());
    }

    private static List<String> notRoot(List<VmInfo> vms) {
        return vms.stream().filter(v -> v.pid() != null && v.error() == null)
                .filter(v -> QemuProcess.of(v.pid()).map(p -> p.uid() != 0).orElse(false))
                .map(VmInfo::name).toList();
    }

    /** The store need not exist yet: its nearest existing directory says which file system it will be on. */
    private static HostCheck storeSpace(Path store, List<VmInfo> vms) {
        if (!store.isAbsolute()) {
            return DoctorChecks.storeUnreadable(store.toString(), "not an absolute path");
        }
        Path existing = store;
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        long needed = vms.stream().filter(v -> v.memoryBytes() != null)
                .mapToLong(v -> v.memoryBytes() + v.disks().stream().mapToLong(DiskInfo::sizeBytes).sum()).sum();
        try {
            return DoctorChecks.storeSpace(store.toString(), Files.getFileStore(existing).getUsableSpace(), needed);
        } catch (IOException e) {
            return DoctorChecks.storeUnreadable(store.toString(), "cannot tell its free space: " + e.getMessage());
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
