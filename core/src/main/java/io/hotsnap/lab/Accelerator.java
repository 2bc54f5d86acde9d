package io.hotsnap.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * KVM or TCG for the lab's guests. {@code auto} picks KVM only where it really runs guests: a
 * {@code /dev/kvm} that is PVM (module {@code kvm_pvm}, no vmx/svm in cpuinfo) exists on the
 * machines we develop on and crashes stock kernels, so there the lab must choose TCG by itself.
 */
public enum Accelerator {
    KVM, TCG;

    public record Choice(Accelerator accelerator, String reason) {
        public String qemuName() {
            return accelerator.name().toLowerCase();
        }
    }

    public static Choice choose(String requested) {
        return switch (requested) {
            case "kvm" -> new Choice(KVM, "requested with --accel kvm");
            case "tcg" -> new Choice(TCG, "requested with --accel tcg");
            case "auto" -> probe(Path.of("/"));
            default -> throw new IllegalArgumentException("--accel must be kvm, tcg or auto, not '" + requested + "'");
        };
    }

    /** @param root the filesystem root to inspect (tests point it at a fake tree) */
    static Choice probe(Path root) {
        Path kvm = root.resolve("dev/kvm");
        if (!Files.exists(kvm)) {
            return new Choice(TCG, "no /dev/kvm on this host: using TCG (software emulation)");
        }
        if (Files.isDirectory(root.resolve("sys/module/kvm_pvm"))) {
            return new Choice(TCG, "/dev/kvm is PVM (module kvm_pvm), which stock guest kernels cannot run: using TCG");
        }
        String cpuinfo;
        try {
            cpuinfo = Files.readString(root.resolve("proc/cpuinfo"));
        } catch (IOException e) {
            return new Choice(TCG, "cannot read /proc/cpuinfo: using TCG");
        }
        if (!cpuinfo.matches("(?s).*\\bflags\\s*:.*\\b(vmx|svm)\\b.*")) {
            return new Choice(TCG, "the CPU shows no vmx/svm (no hardware virtualisation): using TCG");
        }
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return new Choice(TCG, "/dev/kvm is not accessible to this user: using TCG");
        }
        return new Choice(KVM, "hardware virtualisation (vmx/svm) and /dev/kvm available: using KVM");
    }
}
