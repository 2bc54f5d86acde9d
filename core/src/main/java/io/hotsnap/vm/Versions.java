package io.hotsnap.vm;

import java.util.Optional;

/** Dotted version numbers as QEMU and the kernel spell them ({@code 7.2.19}, {@code 6.1.0-28-amd64}). */
public final class Versions {

    private Versions() {
    }

    /** Whether {@code version} is at least {@code major.minor}; empty when it does not start with numbers. */
    public static Optional<Boolean> atLeast(String version, int major, int minor) {
        String[] parts = version.strip().split("[.\\s-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return Optional.of(ma > major || (ma == major && mi >= minor));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
