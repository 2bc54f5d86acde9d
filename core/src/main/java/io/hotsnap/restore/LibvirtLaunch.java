package io.hotsnap.restore;

import io.hotsnap.host.PrivateFiles;
import io.hotsnap.libvirt.LibvirtSaveImage;
import io.hotsnap.libvirt.LibvirtSource;
import io.hotsnap.libvirt.RestoreXml;
import io.hotsnap.libvirt.Virsh;
import io.hotsnap.libvirt.VirshException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.DomainRecord;
import io.hotsnap.vm.VmEndpoint;
import io.hotsnap.vm.VmRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libvirt side of a restore (docs/LIBVIRT-RESTORE.md): a domain comes back *as a libvirt
 * domain*, managed by libvirt afterwards. Our memory image is wrapped as libvirt's save image
 * around the definition recorded at snapshot time (disks on the overlays; a clone renamed, its NICs
 * isolated) and loaded with {@code virsh restore --paused}; the resume is QEMU's {@code cont}
 * through libvirt's monitor, whose RESUME libvirt follows, so {@code virsh domstate} says running.
 */
final class LibvirtLaunch {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtLaunch.class);

    private final Timeouts timeouts;

    LibvirtLaunch(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    /** The definition to restore: the recorded XML with the disks on their overlays, a clone renamed. */
    static String restoreXml(DomainRecord domain, Map<String, Path> overlays, Optional<String> cloneName) {
        RestoreXml xml = RestoreXml.parse(domain.xml()).withOverlays(overlays);
        List<String> uncopied = xml.writableDisksOtherThan(overlays.values().stream().map(Path::toString).collect(Collectors.toSet()));
        if (!uncopied.isEmpty()) {
            throw new IllegalArgumentException(QemuCommandLine.uncopiedDisks(uncopied));
        }
        cloneName.ifPresent(n -> xml.asClone(n, UUID.randomUUID()));
        return xml.toXml();
    }

    /** In place: a running domain will be destroyed first. As a clone: libvirt must know no domain of that name. */
    PreflightCheck target(VmPart part, Optional<String> cloneName) {
        String vm = part.name();
        String check = cloneName.isPresent() ? PreflightCheck.CLONE_NAME : PreflightCheck.REACHABLE;
        Optional<String> nameProblem = cloneName.flatMap(VmRestore::cloneNameProblem);
        if (nameProblem.isPresent()) {
            return PreflightCheck.fail(check, vm, nameProblem.get());
        }
        String name = cloneName.orElse(part.libvirt().name());
        Optional<String> state;
        boolean persistent;
        try {
            state = state(part.libvirt().uri(), name);
            persistent = cloneName.isEmpty() && state.isPresent() && persistent(part.libvirt().uri(), name);
        } catch (VirshException e) {
            return PreflightCheck.fail(check, vm, "libvirt (" + part.libvirt().uri() + ") does not answer: " + e.getMessage());
        }
        if (cloneName.isPresent()) {
            return state.isEmpty() ? PreflightCheck.pass(check, vm, "no libvirt domain is named '" + name + "'")
                    : PreflightCheck.fail(check, vm, "a libvirt domain named '" + name + "' exists (" + state.get() + ")");
        }
        String kind = persistent ? " (persistent: its definition will name the restored disks)" : "";
        return state.filter(LibvirtLaunch::active).isPresent()
                ? PreflightCheck.pass(check, vm, "libvirt domain '" + name + "' is " + state.get() + kind + ": it will be destroyed, its current state discarded")
                : PreflightCheck.pass(check, vm, "libvirt domain '" + name + "' is not running" + kind + ": nothing to destroy");
    }

    /** The recorded definition names every copied disk, and libvirt's QEMU (another user) can reach the disk copies. */
    static PreflightCheck definition(Path partDir, VmPart part, Optional<String> cloneName) {
        String vm = part.name();
        try {
            restoreXml(part.libvirt(), Preflight.sampleOverlays(part), cloneName.filter(VmRestore::validName));
        } catch (IllegalArgumentException e) {
            return PreflightCheck.fail(PreflightCheck.COMMAND_LINE, vm, e.getMessage());
        }
        Optional<Path> blocked = part.disks().isEmpty() ? Optional.empty() : closedAbove(partDir);
        if (blocked.isPresent()) {
            return PreflightCheck.fail(PreflightCheck.COMMAND_LINE, vm, "libvirt's QEMU runs as another user and cannot pass "
                    + blocked.get() + " to the snapshot's disk copies: keep the store outside private directories");
        }
        return PreflightCheck.pass(PreflightCheck.COMMAND_LINE, vm, "libvirt domain XML recorded; disks redirect to overlays"
                + (cloneName.isPresent() ? ", NICs to taps of the clone's own" : ""));
    }

    /**
     * Loads a planned domain through libvirt, paused. The overlays exist already. A running
     * original (in place) is destroyed only now, after everything else is ready.
     */
    VmRestore.Loaded load(VmRestore.Plan plan, VmRestore.DomainLaunch launch, List<Path> made) throws IOException {
        DomainRecord domain = launch.domain();
        Virsh virsh = Virsh.session(domain.uri());
        if (!plan.part().disks().isEmpty()) {
            openForSearch(plan.partDir());
        }
        // In the snapshot's own directory, where its memory image is: a VM need have no disk (kernel
        // boot, PXE, a live ISO), and libvirt's QMP pseudo-path is no directory. Removed once loaded.
        Path saveImage = plan.partDir().resolve("." + plan.name() + "-" + System.currentTimeMillis() + ".save");
        made.add(saveImage);
        // Not running: libvirt leaves it paused for the barrier (and --paused says so again).
        LibvirtSaveImage.write(saveImage, launch.xml(), plan.part().memory().resolve(plan.partDir()), false);
        boolean destroyed = false;
        if (!launch.isClone() && state(domain.uri(), plan.name()).filter(LibvirtLaunch::active).isPresent()) {
            virsh.run(List.of("destroy", plan.name()), timeouts.guestBoot());
            destroyed = true;
        }
        // Armed only now: before, the domain of that name may still be the running original.
        LoadGuard guard = LoadGuard.domain(LoadGuard.agent(), domain.uri(), plan.name(), made);
        try {
            long start = System.nanoTime();
            virsh.run(List.of("restore", saveImage.toString(), "--paused"), timeouts.guestBoot());
            double ms = (System.nanoTime() - start) / 1e6;
            Files.deleteIfExists(saveImage); // QEMU has loaded it: it was a second copy of the guest's memory
            VmEndpoint endpoint = new LibvirtSource(virsh, timeouts.qmpCommand()).find(plan.name()).filter(VmRef::hasQemu)
                    .orElseThrow(() -> new IllegalStateException("libvirt restored '" + plan.name() + "' but does not list it running"))
                    .endpoint();
            return VmRestore.connected(plan, endpoint, ms, destroyed, guard, timeouts);
        } catch (RuntimeException e) {
            guard.close();
            throw new IllegalStateException(e.getMessage() + (destroyed ? " (the domain that ran as " + plan.name() + " had been destroyed)" : ""), e);
        }
    }

    /** Undoes a load: the restored domain destroyed (a clone, being transient, is gone then). */
    void kill(VmRestore.Plan plan, VmRestore.DomainLaunch launch) {
        try {
            if (state(launch.domain().uri(), plan.name()).filter(LibvirtLaunch::active).isPresent()) {
                Virsh.session(launch.domain().uri()).run(List.of("destroy", plan.name()), timeouts.guestBoot());
            }
        } catch (VirshException e) {
            LOG.warn("Cannot destroy the restored {}: {}", plan.name(), e.getMessage());
        }
    }

    /** What {@code virsh domstate} says; empty when libvirt has no such domain. */
    private Optional<String> state(String uri, String name) {
        try {
            return Optional.of(Virsh.session(uri).run(List.of("domstate", name), timeouts.qmpCommand()).strip());
        } catch (VirshException e) {
            if (e.getMessage().contains("failed to get domain") || e.getMessage().contains("Domain not found")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether libvirt keeps a definition of the recorded domain now; false when it has none. */
    boolean persistent(DomainRecord domain) {
        try {
            return state(domain.uri(), domain.name()).isPresent() && persistent(domain.uri(), domain.name());
        } catch (VirshException e) {
            throw new IllegalArgumentException("libvirt (" + domain.uri() + ") does not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the running restored domain's definition libvirt's persistent one ({@code virsh define}):
     * in place, its next start boots the restored disks, not the ones it ran on before; a clone stays
     * defined after it stops. Once it runs, so that a load undone never leaves a definition behind.
     */
    void persist(VmRestore.Plan plan, VmRestore.DomainLaunch launch) throws IOException {
        Path xml = plan.partDir().resolve("." + plan.name() + "-" + System.currentTimeMillis() + ".xml");
        PrivateFiles.writeAtomically(xml, launch.xml().getBytes(StandardCharsets.UTF_8));
        try {
            Virsh.session(launch.domain().uri()).run(List.of("define", xml.toString()), timeouts.qmpCommand());
        } finally {
            Files.deleteIfExists(xml);
        }
    }

    /** Whether libvirt keeps a definition of the domain beyond its run ({@code virsh dominfo}: "Persistent: yes"). */
    private boolean persistent(String uri, String name) {
        return Virsh.session(uri).run(List.of("dominfo", name), timeouts.qmpCommand()).lines()
                .anyMatch(l -> l.matches("Persistent:\\s+yes\\s*"));
    }

    private static boolean active(String state) {
        return !state.equals("shut off");
    }

    /**
     * libvirt hands the overlays' backing files (the snapshot's disk copies) to its QEMU user by
     * ownership, but never opens directories up: the store's own directories get search permission
     * for others (no listing; every file in them stays 0600, memory images included).
     */
    private static void openForSearch(Path partDir) throws IOException {
        for (Path dir : List.of(partDir.getParent().getParent(), partDir.getParent(), partDir)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(dir, perms);
            }
        }
    }

    /** The first directory above the store that others cannot search (the store's own are opened at load). */
    private static Optional<Path> closedAbove(Path partDir) {
        for (Path dir = partDir.toAbsolutePath().getParent().getParent().getParent(); dir != null; dir = dir.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.of(dir);
                }
            } catch (IOException e) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
