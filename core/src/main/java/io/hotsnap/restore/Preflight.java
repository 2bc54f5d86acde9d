package io.hotsnap.restore;

import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.ProxmoxSource;
import io.hotsnap.vm.QemuBinary;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything checked before a restore touches anything, as a checklist (one {@link PreflightCheck}
 * per check, in the same order for every VM): files present, sizes and checksums, free space for the
 * overlays, the QEMU binary and its version, the CPU model, the VM to replace (in place) or the
 * clone's name, the recorded command line, and whether the store can be trusted ({@link StoreTrust}). A restore that would fail half-way must fail here
 * instead. Reads only: nothing is created, stopped or written.
 */
public final class Preflight {

    /** QEMU's default x86 model when the command line names none. */
    private static final String DEFAULT_CPU = "qemu64";
    /** Beyond what the overlays may grow to: room for QEMU's own bookkeeping and a serial log. */
    private static final long SPARE_BYTES = 64L << 20;

    private final Timeouts timeouts;
    private final LibvirtLaunch libvirt;

    Preflight(Timeouts timeouts, LibvirtLaunch libvirt) {
        this.timeouts = timeouts;
        this.libvirt = libvirt;
    }

    List<PreflightCheck> checklist(Path partDir, VmPart part, Optional<String> cloneName) {
        String vm = part.name();
        List<PreflightCheck> checks = new ArrayList<>();
        Map<String, SnapshotFile> files = files(part);
        FileFindings findings = examine(partDir, files);
        List<String> missing = findings.missing();
        List<String> altered = findings.altered();
        List<String> unreadable = findings.unreadable();
        checks.add(missing.isEmpty() && unreadable.isEmpty()
                ? PreflightCheck.pass(PreflightCheck.FILES, vm, "memory image and " + part.disks().size() + " disk cop"
                        + (part.disks().size() == 1 ? "y" : "ies") + " present")
                : PreflightCheck.fail(PreflightCheck.FILES, vm, String.join("; ", concat(missing, unreadable))));
        checks.add(!missing.isEmpty() || !unreadable.isEmpty()
                ? PreflightCheck.fail(PreflightCheck.CHECKSUMS, vm, "not checked: a file is missing or unreadable")
                : altered.isEmpty()
                ? PreflightCheck.pass(PreflightCheck.CHECKSUMS, vm, String.format("%d files, %.1f MiB, SHA-256 as recorded", files.size(),
                        files.values().stream().mapToLong(SnapshotFile::bytes).sum() / 1048576.0))
                : PreflightCheck.fail(PreflightCheck.CHECKSUMS, vm, String.join("; ", altered)));
        checks.add(space(partDir, part));
        String binary = part.cmdline().isEmpty() ? "" : part.cmdline().get(0);
        Optional<String> found = binary.isEmpty() ? Optional.empty() : QemuBinary.resolve(binary);
        PreflightCheck programs = ProgramCheck.check(vm, toRun(part, partDir, cloneName), found);
        checks.add(programs);
        // Preflight runs the binary (--version, -cpu help) as root: only once it is known to be root's.
        Optional<String> runnable = programs.ok() ? found : Optional.empty();
        checks.add(qemu(part, binary, runnable, programs));
        checks.add(cpu(part, runnable));
        checks.add(Firmware.of(part.cmdline()).check(vm));
        if (part.libvirt() != null) {
            checks.add(libvirt.target(part, cloneName));
            checks.add(LibvirtLaunch.definition(partDir, part, cloneName));
        } else {
            checks.add(cloneName.isPresent() ? cloneNameFree(part, partDir, cloneName.get()) : reachable(part));
            checks.add(commandLine(part, partDir, cloneName));
        }
        checks.addAll(StoreTrust.checks(partDir, part));
        return checks;
    }

    /** What examining a part's files found, each a line naming the file. */
    private record FileFindings(List<String> missing, List<String> altered, List<String> unreadable) {
    }

    private static Map<String, SnapshotFile> files(VmPart part) {
        Map<String, SnapshotFile> files = new LinkedHashMap<>();
        files.put("memory image", part.memory());
        part.disks().forEach(d -> files.put("disk " + d.device(), d.image()));
        return files;
    }

    private static FileFindings examine(Path partDir, Map<String, SnapshotFile> files) {
        FileFindings found = new FileFindings(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        files.forEach((what, f) -> {
            Path file = f.resolve(partDir);
            try {
                if (!Files.isRegularFile(file)) {
                    found.missing().add(what + " " + file + " is missing");
                } else if (Files.size(file) != f.bytes()) {
                    found.altered().add(what + " " + file + " has " + Files.size(file) + " bytes, the snapshot recorded " + f.bytes());
                } else if (!SnapshotFile.sha256(file).equals(f.sha256())) {
                    found.altered().add(what + " " + file + " was altered (SHA-256 differs from the snapshot's)");
                }
            } catch (IOException e) {
                found.unreadable().add("cannot read " + what + " " + file + ": " + e.getMessage());
            }
        });
        return found;
    }

    /** The overlays start empty but may grow to the disks' full size, as the guest writes: room for that where each goes. */
    private static PreflightCheck space(Path partDir, VmPart part) {
        String vm = part.name();
        if (part.disks().isEmpty()) {
            return PreflightCheck.pass(PreflightCheck.SPACE, vm, "no disks: no overlays to write");
        }
        Map<Path, Long> need = new LinkedHashMap<>();
        part.disks().forEach(d -> need.merge(VmRestore.overlayDirOf(partDir, d), d.virtualSize(), Long::sum));
        List<String> figures = new ArrayList<>();
        boolean enough = true;
        for (Map.Entry<Path, Long> n : need.entrySet()) {
            long bytes = n.getValue() + SPARE_BYTES;
            try {
                long free = Files.getFileStore(n.getKey()).getUsableSpace();
                figures.add(String.format("%.0f MiB free in %s, overlays may grow to %.0f MiB", free / 1048576.0, n.getKey(), bytes / 1048576.0));
                enough &= free >= bytes;
            } catch (IOException e) {
                return PreflightCheck.fail(PreflightCheck.SPACE, vm, "cannot see free space in " + n.getKey() + ": " + e.getMessage());
            }
        }
        return enough ? PreflightCheck.pass(PreflightCheck.SPACE, vm, String.join("; ", figures))
                : PreflightCheck.fail(PreflightCheck.SPACE, vm, String.join("; ", figures));
    }

    private PreflightCheck qemu(VmPart part, String binary, Optional<String> found, PreflightCheck programs) {
        String vm = part.name();
        if (found.isEmpty()) {
            return PreflightCheck.fail(PreflightCheck.QEMU, vm, binary.isEmpty() ? "no QEMU command line was recorded"
                    : !programs.ok() ? binary + " not run: see '" + PreflightCheck.PROGRAMS + "'"
                    : binary + " (the snapshot's QEMU) is not on this host");
        }
        try {
            String version = QemuBinary.version(found.get(), timeouts.qmpCommand());
            String recorded = part.qemuVersion() == null ? "" : part.qemuVersion();
            Optional<Boolean> newEnough = Versions.atLeast(version, recorded);
            if (newEnough.isEmpty()) {
                return PreflightCheck.fail(PreflightCheck.QEMU, vm, "cannot compare " + version + " with the recorded '" + recorded + "'");
            }
            String figures = binary + " " + version + ", snapshot taken with " + recorded;
            return newEnough.get() ? PreflightCheck.pass(PreflightCheck.QEMU, vm, figures)
                    : PreflightCheck.fail(PreflightCheck.QEMU, vm, figures + ": older QEMU cannot load newer device state");
        } catch (RuntimeException e) {
            return PreflightCheck.fail(PreflightCheck.QEMU, vm, e.getMessage());
        }
    }

    /** The recorded model must be one this QEMU offers; {@code host} passes the host CPU through, which only KVM can. */
    private PreflightCheck cpu(VmPart part, Optional<String> found) {
        String vm = part.name();
        String model = cpuModel(part.cmdline());
        if (found.isEmpty()) {
            return PreflightCheck.fail(PreflightCheck.CPU, vm, "not checked: no QEMU to ask");
        }
        try {
            Set<String> models = QemuBinary.cpuModels(found.get(), timeouts.qmpCommand());
            if (!models.contains(model)) {
                return PreflightCheck.fail(PreflightCheck.CPU, vm, "this QEMU has no CPU model '" + model + "'");
            }
            if (model.equals("host") && !Files.exists(Path.of("/dev/kvm"))) {
                return PreflightCheck.fail(PreflightCheck.CPU, vm, "'host' passes this host's CPU through, which needs KVM (/dev/kvm absent)");
            }
            return PreflightCheck.pass(PreflightCheck.CPU, vm, "'" + model + "' offered by this QEMU");
        } catch (RuntimeException e) {
            return PreflightCheck.fail(PreflightCheck.CPU, vm, e.getMessage());
        }
    }

    static String cpuModel(List<String> cmdline) {
        int i = cmdline.indexOf("-cpu");
        return i < 0 || i + 1 >= cmdline.size() ? DEFAULT_CPU : cmdline.get(i + 1).split(",", 2)[0];
    }

    /** In place: the VM now under that socket must answer QMP (so it can be shut down cleanly) or be absent. */
    private PreflightCheck reachable(VmPart part) {
        String vm = part.name();
        Path socket = Path.of(part.qmp());
        Optional<Integer> vmid = ProxmoxSource.vmidOf(socket);
        if (vmid.isPresent()) {
            return PreflightCheck.fail(PreflightCheck.REACHABLE, vm, proxmoxInPlace(vmid.get()));
        }
        Optional<QemuProcess> running = QemuProcess.serving(socket);
        if (running.isEmpty()) {
            return PreflightCheck.pass(PreflightCheck.REACHABLE, vm, "not running: nothing to shut down");
        }
        try (QmpClient qmp = new QmpClient(socket, timeouts)) {
            qmp.connect(timeouts.qmpConnect());
            String status = qmp.call(QmpCommands.queryStatus(), timeouts.qmpCommand()).statusOr("?");
            return PreflightCheck.pass(PreflightCheck.REACHABLE, vm, "running now (pid " + running.get().pid() + ", " + status
                    + "): it will be shut down, its current state discarded");
        } catch (QmpException e) {
            return PreflightCheck.fail(PreflightCheck.REACHABLE, vm, "QEMU pid " + running.get().pid() + " holds " + socket
                    + " but does not answer QMP (" + e.getMessage() + "): it could not be shut down cleanly");
        }
    }

    /**
     * Why a Proxmox VM is not restored in place, and what to do instead. In place means VM VMID
     * itself runs the snapshot afterwards, as Proxmox's VM: only Proxmox can start it so ({@code qm},
     * which keeps its lock, pid file, HA and backup state); a QEMU started by us on its sockets would
     * be one Proxmox does not know. Stopping it with {@code qm stop} first changes nothing of that.
     */
    static String proxmoxInPlace(int vmid) {
        return "Proxmox VM " + vmid + " is Proxmox's to start (qm), and a QEMU started here in its place would run outside Proxmox's"
                + " view (qm status, HA, backups): restore it as a clone (--as-clone NAME, a plain QEMU with Proxmox's command line)"
                + " and leave VM " + vmid + " to qm";
    }

    /** A clone needs a name no VM, socket or tap of this host has. */
    private static PreflightCheck cloneNameFree(VmPart part, Path partDir, String name) {
        String vm = part.name();
        QemuCommandLine.Clone clone;
        try {
            clone = VmRestore.cloneOf(name, part, partDir);
        } catch (SnapshotException e) {
            return PreflightCheck.fail(PreflightCheck.CLONE_NAME, vm, e.getMessage());
        }
        Optional<QemuProcess> running = QemuProcess.serving(clone.qmp());
        if (running.isPresent()) {
            return PreflightCheck.fail(PreflightCheck.CLONE_NAME, vm, "a VM named '" + name + "' runs (pid " + running.get().pid() + ")");
        }
        if (Files.exists(clone.qmp())) {
            return PreflightCheck.fail(PreflightCheck.CLONE_NAME, vm, "the QMP socket " + clone.qmp() + " exists: '" + name + "' is taken");
        }
        String tap = QemuCommandLine.cloneTap(name);
        if (Files.exists(Path.of("/sys/class/net", tap))) {
            return PreflightCheck.fail(PreflightCheck.CLONE_NAME, vm, "network interface " + tap + " (the clone's tap) exists");
        }
        return PreflightCheck.pass(PreflightCheck.CLONE_NAME, vm, "'" + name + "' is free (QMP " + clone.qmp() + ", tap " + tap + ")");
    }

    /**
     * The command line root will run: a QEMU VM's clone runs the recorded one rewritten (its NICs'
     * scripts off, as a Proxmox VM's clone must not run Proxmox's pve-bridge); else the recorded one.
     */
    private static List<String> toRun(VmPart part, Path partDir, Optional<String> cloneName) {
        if (part.libvirt() != null || cloneName.isEmpty()) {
            return part.cmdline();
        }
        try {
            return QemuCommandLine.forRestore(part.cmdline(), sampleOverlays(part), Optional.of(VmRestore.cloneOf(cloneName.get(), part, partDir)));
        } catch (IllegalArgumentException | SnapshotException e) {
            return part.cmdline(); // the command line check says why it cannot be rewritten
        }
    }

    /** Overlay paths shaped like a plan's, for checks that rewrite the command line before any overlay exists. */
    static Map<String, Path> sampleOverlays(VmPart part) {
        Map<String, Path> overlays = new LinkedHashMap<>();
        part.disks().forEach(d -> overlays.put(d.original(), Path.of(d.original() + ".overlay")));
        return overlays;
    }

    private static PreflightCheck commandLine(VmPart part, Path partDir, Optional<String> cloneName) {
        String vm = part.name();
        if (part.cmdline().isEmpty()) {
            return PreflightCheck.fail(PreflightCheck.COMMAND_LINE, vm, "no QEMU command line was recorded, so the VM cannot be started again");
        }
        try {
            Optional<QemuCommandLine.Clone> clone = cloneName.map(n -> VmRestore.cloneOf(n, part, partDir));
            QemuCommandLine.forRestore(part.cmdline(), sampleOverlays(part), clone);
            return PreflightCheck.pass(PreflightCheck.COMMAND_LINE, vm, "recorded; disks redirect to overlays"
                    + (clone.isPresent() ? ", NICs to a tap of the clone's own" : ""));
        } catch (IllegalArgumentException | SnapshotException e) {
            return PreflightCheck.fail(PreflightCheck.COMMAND_LINE, vm, e.getMessage());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
