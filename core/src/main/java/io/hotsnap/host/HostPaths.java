package io.hotsnap.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where this host keeps HotSnap's files. The QMP socket directory is the host-wide place where the
 * inventory finds VMs (DESIGN §3): {@code /run/hotsnap} as root, {@code $XDG_RUNTIME_DIR/hotsnap}
 * otherwise. Overridable with {@code HOTSNAP_SOCKET_DIR} / {@code HOTSNAP_CACHE_DIR}.
 */
public final class HostPaths {

    private HostPaths() {
    }

    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    public static Path socketDir() {
        String override = System.getenv("HOTSNAP_SOCKET_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        if (isRoot()) {
            return Path.of("/run/hotsnap");
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return runtime != null && !runtime.isBlank()
                ? Path.of(runtime, "hotsnap")
                : Path.of(System.getProperty("java.io.tmpdir"), "hotsnap-" + System.getProperty("user.name"));
    }

    public static Path cacheDir() {
        String override = System.getenv("HOTSNAP_CACHE_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("hotsnap");
    }
}
