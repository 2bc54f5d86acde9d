package io.hotsnap.restore;

import io.hotsnap.host.HostPaths;
import io.hotsnap.host.SafeName;
import io.hotsnap.net.TrafficCapture;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpEventSubscription;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.DomainRecord;
import io.hotsnap.vm.ProxmoxSource;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.VmEndpoint;
import io.hotsnap.vm.VmInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings one VM of a committed snapshot back (DESIGN §6): its recorded command line, disks on fresh
 * overlays above the snapshot's copies (the snapshot stays immutable), memory loaded through a
 * UNIX socket into {@code -incoming defer}, then {@code cont}. A VM that was a libvirt domain comes
 * back through libvirt instead ({@link LibvirtLaunch}). In place (the running VM is stopped first)
 * or as a clone. Everything is checked before anything is touched.
 *
 * <p>This class plans (the checks, the overlays, the command line or domain XML) and sequences;
 * {@link RestoreLoader} loads and undoes loads, {@link RestoreResumer} lets loaded VMs run.
 */
public final class VmRestore {

    private final Timeouts timeouts;
    private final LibvirtLaunch libvirt;
    private final RestoreLoader loader;
    private final RestoreResumer resumer;

    public VmRestore(Timeouts timeouts) {
        this.timeouts = timeouts;
        this.libvirt = new LibvirtLaunch(timeouts);
        this.loader = new RestoreLoader(timeouts, libvirt);
        this.resumer = new RestoreResumer(timeouts);
    }

    /** What restoring one VM will do, decided and checked before anything is touched. */
    public record Plan(String name, VmPart part, Path partDir, Map<String, Path> overlays, Launch launch) {

        public boolean inPlace() {
            return !launch.isClone();
        }
    }

    /** How a planned VM gets a QEMU again: one we start, or a libvirt domain libvirt restores. */
    public sealed interface Launch permits QemuLaunch, DomainLaunch {
        boolean isClone();
    }

    /** QEMU started from the recorded command line, rewritten; its QMP socket is {@code qmp}. */
    public record QemuLaunch(Path qmp, Optional<QemuCommandLine.Clone> asClone, List<String> cmdline) implements Launch {
        @Override
        public boolean isClone() {
            return asClone.isPresent();
        }
    }

    /**
     * {@code virsh restore} of the recorded domain, defined by {@code xml} (disks on overlays, a clone
     * renamed); {@code persistent}: once it runs, libvirt keeps {@code xml} as its definition too.
     */
    public record DomainLaunch(DomainRecord domain, String xml, boolean isClone, boolean persistent) implements Launch {
    }

    /**
     * A VM whose memory is loaded, paused at the snapshot's instant, waiting for {@link #resume}.
     *
     * @param endpoint        how the restored VM's QEMU is reached (its process, its taps)
     * @param originalStopped in place: the VM that ran under the name was shut down for this one
     * @param guard           undoes the load should this process die before the VM runs or is discarded
     */
    public record Loaded(Plan plan, VmEndpoint endpoint, QmpClient qmp, QmpEventSubscription events, double loadMs, boolean originalStopped,
                         LoadGuard guard) {
    }

    /** One VM: checked, loaded, resumed. */
    public RestoredVm restore(String snapshotId, Path partDir, VmPart part, Optional<String> cloneName) {
        RestoreChoice choice = cloneName.map(n -> RestoreChoice.asClone(part.name(), n)).orElse(RestoreChoice.inPlace(part.name()));
        return resume(load(plan(snapshotId, partDir, part, choice)));
    }

    /**
     * Several VMs of one snapshot (a cluster cut): every one is checked, then every one loaded and
     * left paused, then all resumed back to back, so their TCP connections pick up where the
     * consistent cut left them. If one cannot be loaded, those already started are stopped again.
     */
    public List<RestoredVm> restoreTogether(List<Plan> plans) {
        return resumeAll(loadAll(plans, new LoadListener() { }));
    }

    /** What {@link #loadAll} is doing, for whoever reports progress; every method defaults to nothing. */
    public interface LoadListener {
        default void loading(Plan plan) {
        }

        default void loaded(Loaded loaded) {
        }

        default void failed(Plan plan, String reason) {
        }

        default void discarded(Loaded loaded) {
        }
    }

    /**
     * Loads every plan, one after another, each left paused. If one cannot be loaded, those already
     * loaded are discarded ({@link #discard}) and the failure is thrown: nothing is left half restored.
     */
    public List<Loaded> loadAll(List<Plan> plans, LoadListener listener) {
        List<Loaded> loaded = new ArrayList<>();
        for (Plan plan : plans) {
            listener.loading(plan);
            try {
                Loaded l = load(plan);
                loaded.add(l);
                listener.loaded(l);
            } catch (SnapshotException e) {
                listener.failed(plan, e.getMessage());
                for (Loaded l : loaded) {
                    discard(l);
                    listener.discarded(l);
                }
                throw e;
            }
        }
        return loaded;
    }

    /**
     * The preflight checklist of restoring {@code part} (in place, or as {@code cloneName}): every
     * check, passed or not. Touches nothing.
     */
    public List<PreflightCheck> preflight(Path partDir, VmPart part, Optional<String> cloneName) {
        return new Preflight(timeouts, libvirt).checklist(partDir, part, cloneName);
    }

    /**
     * Checks the part and works out the command line; touches nothing.
     *
     * @param snapshotId used to name the overlays
     * @param choice     in place or as a clone (of a libvirt domain: persistent or transient)
     */
    public Plan plan(String snapshotId, Path partDir, VmPart part, RestoreChoice choice) {
        Optional<String> cloneName = Optional.ofNullable(choice.asClone());
        List<String> problems = preflight(partDir, part, cloneName).stream().filter(c -> !c.ok()).map(PreflightCheck::line).toList();
        if (!problems.isEmpty()) {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, "cannot restore: " + String.join("; ", problems));
        }
        if (choice.persistent() && part.libvirt() == null) {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, "cannot restore " + part.name()
                    + " as a persistent clone: only libvirt keeps definitions, and it was no libvirt domain (restore it as a clone without --persistent)");
        }
        String name = cloneName.orElse(part.libvirt() != null ? part.libvirt().name() : part.name());
        Map<String, Path> overlays = new LinkedHashMap<>();
        Firmware firmware = Firmware.of(part.cmdline());
        for (DiskCopy disk : part.disks()) {
            overlays.put(disk.original(), overlayPath(partDir, disk, name, snapshotId, firmware.isVars(disk.original()) ? ".fd" : ".qcow2"));
        }
        try {
            if (part.libvirt() != null) {
                boolean persistent = cloneName.isPresent() ? choice.persistent() : libvirt.persistent(part.libvirt());
                return new Plan(name, part, partDir, overlays, new DomainLaunch(part.libvirt(),
                        LibvirtLaunch.restoreXml(part.libvirt(), overlays, cloneName), cloneName.isPresent(), persistent));
            }
            Optional<QemuCommandLine.Clone> clone = cloneName.map(n -> cloneOf(n, part, partDir));
            Path qmp = clone.map(QemuCommandLine.Clone::qmp).orElse(Path.of(part.qmp()));
            return new Plan(name, part, partDir, overlays, new QemuLaunch(qmp, clone, QemuCommandLine.forRestore(part.cmdline(), overlays, clone)));
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, "cannot restore " + part.name() + ": " + e.getMessage());
        }
    }

    /**
     * Loads the VM on fresh overlays; it stays paused. In place, the running VM is stopped first
     * (a libvirt domain only once its restore is ready to go).
     */
    public Loaded load(Plan plan) {
        return loader.load(plan);
    }

    /**
     * Undoes a load that will not be resumed: its QEMU killed, its overlays removed. In place, the
     * VM that ran before is not brought back: it was shut down for the restore.
     */
    public void discard(Loaded loaded) {
        loader.discard(loaded);
    }

    /** A loaded VM's TCP taps, to capture its traffic from the resume on: in place only (a clone's tap joins no network). */
    public List<TrafficCapture.Tap> taps(Loaded loaded) {
        if (!loaded.plan().inPlace()) {
            return List.of();
        }
        Long pid = loaded.endpoint().process().map(QemuProcess::pid).orElse(null);
        // libvirt hands QEMU its taps as descriptors: QEMU cannot name them, libvirt can.
        Map<String, String> tapsByMac = loaded.endpoint().tapsByMac();
        return VmInventory.nics(loaded.qmp(), id -> false, timeouts.qmpCommand()).stream()
                .filter(n -> n.mac() != null && (n.ifname() != null || tapsByMac.containsKey(n.mac())))
                .map(n -> new TrafficCapture.Tap(loaded.plan().name(), n.ifname() != null ? n.ifname() : tapsByMac.get(n.mac()), n.mac(), pid))
                .toList();
    }

    /** Lets a loaded VM run from its snapshot's instant. */
    public RestoredVm resume(Loaded loaded) {
        return resumeAll(List.of(loaded)).get(0);
    }

    /** How one loaded VM's resume went: running again ({@code restored}) or not ({@code failure}). */
    public record Resumed(Loaded loaded, RestoredVm restored, SnapshotException failure) {
    }


    /**
     * Lets loaded VMs run: {@code cont} to each back to back first, and only then the wait for each
     * RESUME, so they start again as close together as QMP allows. Each VM's failure is its own:
     * the others resume regardless.
     */
    public List<Resumed> resumeEach(List<Loaded> loaded) {
        return resumer.resumeEach(loaded).stream().map(this::persisted).toList();
    }

    /**
     * A resumed persistent domain with its definition made the restored one; if libvirt refuses it,
     * a failure (the caller discards the VM: an in-place domain keeps its old definition then).
     */
    private Resumed persisted(Resumed r) {
        if (r.failure() != null || !(r.loaded().plan().launch() instanceof DomainLaunch d) || !d.persistent()) {
            return r;
        }
        try {
            libvirt.persist(r.loaded().plan(), d);
            return r;
        } catch (IOException | RuntimeException e) {
            return new Resumed(r.loaded(), null, new SnapshotException(SnapshotException.Kind.FAILED, "restored " + r.loaded().plan().name()
                    + " runs, but libvirt did not take its definition: " + e.getMessage(), e));
        }
    }

    /**
     * {@link #resumeEach}, failing on the first VM that did not resume (after trying every one);
     * those that did not are discarded first, as the agent's restore does.
     */
    public List<RestoredVm> resumeAll(List<Loaded> loaded) {
        List<Resumed> outcomes = resumeEach(loaded);
        outcomes.stream().filter(r -> r.failure() != null).forEach(r -> discard(r.loaded()));
        List<RestoredVm> resumed = new ArrayList<>();
        for (Resumed r : outcomes) {
            if (r.failure() != null) {
                throw r.failure();
            }
            resumed.add(r.restored());
        }
        return resumed;
    }


    /** A loaded VM's QMP, connected and watching for its RESUME. */
    static Loaded connected(Plan plan, VmEndpoint endpoint, double loadMs, boolean originalStopped, LoadGuard guard, Timeouts timeouts) {
        QmpClient qmp = endpoint.qmpClient(timeouts);
        try {
            qmp.connect(timeouts.qmpConnect());
        } catch (QmpException e) {
            qmp.close();
            throw e;
        }
        return new Loaded(plan, endpoint, qmp, qmp.subscribe(e -> e.name().equals("RESUME"), 256), loadMs, originalStopped, guard);
    }


    /** @throws SnapshotException {@code REFUSED} for a name that is no valid VM name */
    static QemuCommandLine.Clone cloneOf(String name, VmPart part, Path partDir) {
        cloneNameProblem(name).ifPresent(problem -> {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, problem);
        });
        Path recordedQmp = Path.of(part.qmp());
        // A Proxmox VM's clone is a plain QEMU: none of its files in Proxmox's directories, its socket where plain QEMUs are listed.
        boolean proxmox = ProxmoxSource.vmidOf(recordedQmp).isPresent();
        Path qmpDir = proxmox ? HostPaths.socketDir() : recordedQmp.getParent();
        Path dir = proxmox && part.disks().isEmpty() ? partDir : overlayDir(part, partDir);
        return new QemuCommandLine.Clone(name, qmpDir.resolve(name + ".qmp"), dir.resolve(name + ".serial.log"), dir.resolve(name + ".pid"));
    }

    /** A clone's name: a {@link SafeName} short enough for a host name. */
    public static boolean validName(String name) {
        return SafeName.isStrict(name) && name.length() <= 63;
    }

    /** What is wrong with a clone's name, in the words both restore paths use; empty when it is valid. */
    static Optional<String> cloneNameProblem(String name) {
        return validName(name) ? Optional.empty() : Optional.of("clone name '" + name + "' is not a valid VM name");
    }

    /** Where a restore puts the disk's overlay (see {@link #overlayPath}). */
    static Path overlayDirOf(Path partDir, DiskCopy disk) {
        Path original = Path.of(disk.original());
        return isFileDisk(original) ? original.getParent() : partDir;
    }

    /**
     * Where a clone of this VM writes its log and pid file: beside its first file disk, where that VM's
     * files are and whoever cleans up after it looks; without one, beside its QMP socket; the snapshot's
     * part directory when the socket is no path (libvirt's pseudo-path).
     */
    static Path overlayDir(VmPart part, Path partDir) {
        Path qmp = Path.of(part.qmp());
        return part.disks().stream().map(d -> Path.of(d.original())).filter(VmRestore::isFileDisk).findFirst()
                .map(Path::getParent).orElse(qmp.isAbsolute() ? qmp.getParent() : partDir);
    }

    /**
     * A disk in an image file (one deleted since counts: its directory is still the VM's), not a block
     * device (its directory is {@code /dev}, RAM and not ours) or a network disk.
     */
    private static boolean isFileDisk(Path original) {
        return original.isAbsolute() && !original.startsWith("/dev") && (Files.isRegularFile(original) || !Files.exists(original));
    }

    /**
     * Next to the original disk, named after the VM so that whoever cleans up that VM's files finds it.
     * A block device's (or network disk's) has no directory of ours beside it: it goes into the
     * snapshot's part directory, in the store, as an overlay snapshot's own does. A UEFI VARS flash gets
     * a raw copy ({@code .fd}) rather than a qcow2 overlay ({@link Firmware}).
     */
    private static Path overlayPath(Path partDir, DiskCopy disk, String vm, String snapshotId, String suffix) {
        return overlayDirOf(partDir, disk).resolve(vm + "-" + disk.device() + "-from-" + snapshotId + "-" + System.currentTimeMillis() + suffix);
    }

}
