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
        int uid = uid();
        return uid < 0 ? "root".equals(System.getProperty("user.name")) : uid == 0;
    }

    /** This process's uid, or -1 where the system does not say. */
    public static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
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

    /**
     * Where a memory stream's socket goes when QEMU runs as another user (libvirt's) and cannot
     * reach the private snapshot directory: {@code /run/hotsnap-streams} as root, else beside the
     * QMP sockets. Overridable with {@code HOTSNAP_STREAM_DIR}.
     */
    public static Path streamDir() {
        String override = System.getenv("HOTSNAP_STREAM_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return isRoot() ? Path.of("/run/hotsnap-streams") : socketDir().resolve("streams");
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
