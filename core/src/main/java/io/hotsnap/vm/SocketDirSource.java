package io.hotsnap.vm;

import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * VMs whose QMP sockets sit in one directory as {@code NAME.qmp} (the lab, a hand-started QEMU
 * with {@code -qmp unix:/run/hotsnap/NAME.qmp,server=on,wait=off}).
 */
public final class SocketDirSource implements VmSource {

    private final Path dir;

    public SocketDirSource(Path dir) {
        this.dir = dir;
    }

    @Override
    public String kind() {
        return VmRef.SOCKET;
    }

    @Override
    public List<VmRef> list() {
        List<VmRef> refs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return refs;
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*.qmp")) {
            found.forEach(socket -> refs.add(ref(socket.getFileName().toString().replaceFirst("\\.qmp$", ""), socket)));
        } catch (IOException e) {
            throw new VmSourceException("cannot list " + dir + ": " + e.getMessage());
        }
        return refs;
    }

    @Override
    public Optional<VmRef> find(String name) {
        Path socket = dir.resolve(name + ".qmp");
        return name.contains("/") || !Files.exists(socket) ? Optional.empty() : Optional.of(ref(name, socket));
    }

    private static VmRef ref(String name, Path socket) {
        return new VmRef(name, VmRef.SOCKET, null, null, null, new SocketEndpoint(socket));
    }

    /** A QMP socket of our own use: QEMU serves one client at a time on it. */
    public record SocketEndpoint(Path socket) implements VmEndpoint {

        @Override
        public String qmpTarget() {
            return socket.toString();
        }

        @Override
        public QmpClient qmpClient(Timeouts timeouts) {
            return new QmpClient(socket, timeouts);
        }

        @Override
        public Optional<QemuProcess> process() {
            return QemuProcess.serving(socket);
        }
    }
}
