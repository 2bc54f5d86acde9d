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

    /**
     * Whether {@code version} is at least {@code required}, compared number by number ({@code 7.2.22}
     * ≥ {@code 7.2.9}); empty when either does not start with a number.
     */
    public static Optional<Boolean> atLeast(String version, String required) {
        int[] have = numbers(version);
        int[] need = numbers(required);
        if (have.length == 0 || need.length == 0) {
            return Optional.empty();
        }
        for (int i = 0; i < Math.max(have.length, need.length); i++) {
            int h = i < have.length ? have[i] : 0;
            int n = i < need.length ? need[i] : 0;
            if (h != n) {
                return Optional.of(h > n);
            }
        }
        return Optional.of(true);
    }

    /** The leading dotted numbers: "7.2.22 (Debian 1:7.2+dfsg-7)" → 7, 2, 22. */
    private static int[] numbers(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(\\d+(?:\\.\\d+)*)").matcher(version == null ? "" : version);
        if (!m.find()) {
            return new int[0];
        }
        return java.util.Arrays.stream(m.group(1).split("\\.")).mapToInt(Integer::parseInt).toArray();
    }
}
