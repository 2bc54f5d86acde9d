package io.hotsnap.snapshot;

import io.hotsnap.host.HostPaths;
import io.hotsnap.host.SafeName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Memory stream sockets for a QEMU that runs as another user (libvirt's {@code libvirt-qemu}): it
 * cannot enter our private snapshot directory, so its socket sits in {@link HostPaths#streamDir()}
 * (mode 0711: enterable, not listable), under an unguessable name, owned by QEMU's user, mode
 * 0600. The image itself is still written by us into the private directory.
 */
final class StreamSockets {

    private StreamSockets() {
    }

    static Path newPath(String snapshotId, String vm) throws IOException {
        Path dir = HostPaths.streamDir();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        return dir.resolve(snapshotId + "-" + SafeName.dirName(vm) + "-" + UUID.randomUUID() + ".sock");
    }

    /** Gives the listening socket to QEMU's user alone. */
    static void handTo(Path socket, int uid) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(socket, "unix:uid", uid);
    }

    /** The receiver removes its socket when the stream ends; an abort may cut it short. */
    static void remove(Path socket) {
        if (!socket.startsWith(HostPaths.streamDir())) {
            return;
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
