package io.hotsnap.lab;

import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostCommandException;
import io.hotsnap.settings.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's tiny guest: an ELF kernel that QEMU boots directly (PVH entry, seconds under TCG) and a
 * busybox initramfs whose init runs the tick, the TCP stream and the dirtying load. Built once by
 * {@code build-guest.sh} (shipped in this jar from {@code assets/lab}) and cached.
 */
public record GuestImage(Path vmlinux, Path initrd, String kernelVersion) {

    /**
     * The kernel options every lab guest boots with, whoever starts it (the lab, libvirt). {@code
     * no_timer_check}: a TCG guest on a loaded 2-core host can miss the kernel's IO-APIC timer
     * check and panic at boot ("IO-APIC + timer doesn't work", seen in CI); the check proves
     * nothing about a virtual timer.
     */
    public static final String KERNEL_OPTIONS = "console=ttyS0 quiet panic=-1 no_timer_check";


    /**
     * The same kernel as a bzImage, for a UEFI guest (OVMF boots its EFI stub, not the PVH entry);
     * kept only when the kernel came as one, and absent from images built before it was kept.
     */
    public Optional<Path> efiKernel() {
        Path vmlinuz = vmlinux.resolveSibling("vmlinuz");
        return Files.isRegularFile(vmlinuz) ? Optional.of(vmlinuz) : Optional.empty();
    }

    /** The cached image in {@code dir}, if a complete one is there. */
    public static Optional<GuestImage> cached(Path dir) {
        Path vmlinux = dir.resolve("vmlinux");
        Path initrd = dir.resolve("initrd.img");
        Path version = dir.resolve("kernel-version");
        if (!Files.isRegularFile(vmlinux) || !Files.isRegularFile(initrd) || !Files.isRegularFile(version)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GuestImage(vmlinux, initrd, Files.readString(version).strip()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The cached image, building it first if needed. The default guest lives in {@code cache}
     * itself; one built from a {@code --kernel} of the administrator's gets a directory of its own
     * (named by the kernel's path, size and date) so it never replaces the default.
     */
    public static GuestImage ensure(Path cache, Optional<Path> kernel) {
        Path dir = kernel.map(k -> cache.resolve("custom").resolve(fingerprint(k))).orElse(cache);
        Optional<GuestImage> hit = cached(dir);
        if (hit.isPresent()) {
            return hit.get();
        }
        Path scripts = extractScripts();
        try {
            List<String> cmd = new ArrayList<>(List.of("bash", scripts.resolve("build-guest.sh").toString(), dir.toString()));
            kernel.ifPresent(k -> cmd.add(k.toString()));
            HostCommand.Result r = HostCommand.run(cmd, Waits.GUEST_IMAGE_BUILD);
            if (!r.ok()) {
                throw new LabException(LabException.Kind.MISSING,
                        "cannot build the lab guest: " + HostCommand.lastLine(r.stderr()));
            }
        } catch (HostCommandException e) {
            throw new LabException(LabException.Kind.FAILED, "cannot build the lab guest: " + e.getMessage());
        } finally {
            deleteQuietly(scripts.resolve("build-guest.sh"));
            deleteQuietly(scripts.resolve("init.sh"));
            deleteQuietly(scripts);
        }
        return cached(dir).orElseThrow(() -> new LabException(LabException.Kind.FAILED,
                "the guest build finished but left no complete image in " + dir));
    }

    /** The build script and the init it installs, side by side in a temp dir as in {@code assets/lab}. */
    private static Path extractScripts() {
        try {
            Path dir = Files.createTempDirectory("hotsnap-guest-build");
            for (String name : List.of("build-guest.sh", "init.sh")) {
                try (InputStream in = GuestImage.class.getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IllegalStateException(name + " missing from the jar");
                    }
                    Files.write(dir.resolve(name), in.readAllBytes());
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fingerprint(Path kernel) {
        String key = kernel.toAbsolutePath().toString();
        try {
            key += ":" + Files.size(kernel) + ":" + Files.getLastModifiedTime(kernel).toMillis();
        } catch (IOException e) {
            // a kernel that cannot be read: the build script says so in its own words
        }
        return Integer.toHexString(key.hashCode());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
