package io.hotsnap.libvirt;

import io.hotsnap.host.HostCommand;
import io.hotsnap.restore.Preflight;
import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.PrivateFiles;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.VmPart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Brings a snapshot of a libvirt domain back as a libvirt domain through libvirt's own
 * {@code virsh restore}: the memory image wrapped as a libvirt save image whose XML is the one
 * recorded at snapshot time with the disks on fresh overlays above the snapshot's copies. In place
 * (same name and UUID; a running original is destroyed only when the caller confirmed it) or as a
 * clone (new name and UUID, which {@code virsh restore --xml} refuses, hence our own header).
 */
public final class LibvirtRestore {

    private final String connectUri;
    private final Duration timeout;

    public LibvirtRestore(String connectUri, Duration timeout) {
        this.connectUri = connectUri;
        this.timeout = timeout;
    }

    /** @param restoreMs from {@code virsh restore} starting to it returning with the domain running */
    public record Restored(String domain, String uuid, Map<String, Path> overlays, double restoreMs) {
    }

    /**
     * @param domainXml      {@code virsh dumpxml --migratable} at snapshot time
     * @param cloneName      empty: in place
     * @param workDir        where overlays and the transient save image go; QEMU's user must reach it
     * @param replaceRunning the administrator confirmed that a running original may be destroyed
     */
    public Restored restore(Path partDir, VmPart part, String domainXml, Optional<String> cloneName, Path workDir, boolean replaceRunning) {
        RestoreXml xml;
        try {
            xml = RestoreXml.parse(domainXml);
        } catch (IllegalArgumentException e) {
            throw refused(part, e.getMessage());
        }
        List<String> problems = Preflight.fileProblems(partDir, part);
        if (!problems.isEmpty()) {
            throw refused(part, problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
        String name = cloneName.orElse(xml.name());
        Optional<String> state = domainState(name);
        boolean destroyFirst = cloneName.isEmpty() && state.isPresent() && !state.get().equals("shut off");
        if (cloneName.isPresent() && state.isPresent()) {
            throw refused(part, "a libvirt domain named '" + name + "' exists (" + state.get() + "); choose another clone name");
        }
        if (destroyFirst && !replaceRunning) {
            throw refused(part, "libvirt domain '" + name + "' is " + state.get() + "; restoring in place destroys it first: confirm that");
        }
        String stamp = Long.toString(System.currentTimeMillis());
        Map<String, Path> overlays = new LinkedHashMap<>();
        for (DiskCopy disk : part.disks()) {
            overlays.put(disk.original(), workDir.resolve(name + "-" + disk.device() + "-" + stamp + ".qcow2"));
        }
        try {
            xml.withOverlays(overlays);
        } catch (IllegalArgumentException e) {
            throw refused(part, e.getMessage());
        }
        if (cloneName.isPresent()) {
            xml.asClone(name, UUID.randomUUID());
        }
        Path saveImage = workDir.resolve("." + name + "-" + stamp + ".save");
        List<Path> made = new ArrayList<>();
        try {
            for (DiskCopy disk : part.disks()) {
                Path overlay = overlays.get(disk.original());
                HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", disk.image().resolve(partDir).toString(),
                        "-F", disk.format(), overlay.toString()), timeout);
                made.add(overlay);
                PrivateFiles.restrict(overlay);
            }
            made.add(saveImage);
            LibvirtSaveImage.write(saveImage, xml.toXml(), part.memory().resolve(partDir), true);
            if (destroyFirst) {
                virsh(List.of("destroy", name));
            }
            long start = System.nanoTime();
            virsh(List.of("restore", saveImage.toString()));
            double ms = (System.nanoTime() - start) / 1e6;
            String now = domainState(name).orElse("gone");
            if (!now.equals("running")) {
                throw new IllegalStateException("libvirt restored '" + name + "' but it is " + now);
            }
            Files.deleteIfExists(saveImage); // QEMU has loaded it; it is a second copy of the guest's memory
            return new Restored(name, xml.uuid(), overlays, ms);
        } catch (IOException | RuntimeException e) {
            for (Path p : made) {
                deleteQuietly(p);
            }
            throw new SnapshotException(SnapshotException.Kind.FAILED, "libvirt restore of " + part.name() + " as '" + name + "' failed: "
                    + e.getMessage(), e);
        }
    }

    /** The domain's state as {@code virsh domstate} says it; empty when libvirt knows no such domain. */
    Optional<String> domainState(String name) {
        HostCommand.Result r = HostCommand.run(List.of("virsh", "-c", connectUri, "domstate", name), timeout);
        if (r.ok()) {
            return Optional.of(r.stdout().strip());
        }
        if (r.stderr().contains("failed to get domain") || r.stderr().contains("Domain not found")) {
            return Optional.empty();
        }
        throw new SnapshotException(SnapshotException.Kind.REFUSED, "libvirt does not answer: " + HostCommand.lastLine(r.stderr()));
    }

    private void virsh(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", connectUri));
        cmd.addAll(args);
        HostCommand.Result r = HostCommand.run(cmd, timeout);
        if (!r.ok()) {
            // virsh prints "error: Failed to restore …" then the reason: the last line is the one that helps.
            throw new IllegalStateException("virsh " + args.get(0) + ": " + HostCommand.lastLine(r.stderr()).replaceFirst("^error: ", ""));
        }
    }

    private static SnapshotException refused(VmPart part, String why) {
        return new SnapshotException(SnapshotException.Kind.REFUSED, "cannot restore " + part.name() + " through libvirt: " + why);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: an overlay or a transient save image is no snapshot data
        }
    }
}
