package io.hotsnap.vm;

import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostCommandException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a QEMU binary of this host says about itself: its version and the CPU models it offers. */
public final class QemuBinary {

    private static final Pattern VERSION = Pattern.compile("QEMU emulator version (\\S+)");
    private static final Pattern CPU_MODEL = Pattern.compile("^\\S+\\s+(\\S+)");

    private QemuBinary() {
    }

    /**
     * {@code binary --version}'s version ("7.2.22").
     *
     * @throws HostCommandException when the binary cannot be run or prints no version
     */
    public static String version(String binary, Duration timeout) {
        HostCommand.Result r = HostCommand.check(List.of(binary, "--version"), timeout);
        return parseVersion(r.stdout()).orElseThrow(
                () -> new HostCommandException(binary + " --version printed no version: " + HostCommand.lastLine(r.stdout())));
    }

    /** The version in what {@code --version} printed ("QEMU emulator version 7.2.22 (Debian …)" → "7.2.22"). */
    public static Optional<String> parseVersion(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The models {@code binary -cpu help} lists (x86: "qemu64", "host", "max", "Broadwell-v3" …). */
    public static Set<String> cpuModels(String binary, Duration timeout) {
        HostCommand.Result r = HostCommand.check(List.of(binary, "-cpu", "help"), timeout);
        Set<String> models = new LinkedHashSet<>();
        for (String line : r.stdout().lines().toList()) {
            if (line.isBlank() || line.endsWith(":")) {
                if (line.startsWith("Recognized")) {
                    break; // the CPUID flags follow: not models
                }
                continue;
            }
            Matcher m = CPU_MODEL.matcher(line);
            if (m.find()) {
                models.add(m.group(1));
            }
        }
        return models;
    }

    /** The binary to run: a path as given, else the one on PATH (its path), else empty. */
    public static Optional<String> resolve(String binary) {
        if (binary.contains("/")) {
            return java.nio.file.Files.isExecutable(java.nio.file.Path.of(binary)) ? Optional.of(binary) : Optional.empty();
        }
        return HostCommand.locate(binary).map(java.nio.file.Path::toString);
    }
}
