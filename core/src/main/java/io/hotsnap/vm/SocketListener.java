package io.hotsnap.vm;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;

/**
 * Who listens on a UNIX socket path, as the kernel knows it: the processes holding a listening
 * socket bound to that path ({@code /proc/PID/net/unix} and {@code /proc/PID/fd}), and the user the
 * path's listener runs as, from the peer credentials of a connection ({@code SO_PEERCRED}; Java
 * reports the peer's user, not its PID).
 */
final class SocketListener {

    /** A listening socket in {@code /proc/PID/net/unix} ({@code __SO_ACCEPTCON}). */
    private static final String LISTENING = "00010000";

    private SocketListener() {
    }

    /** True if the process ({@code /proc/PID}) holds a listening socket bound to {@code socket}, in its own network namespace's table. */
    static boolean heldBy(Path proc, Path socket) {
        Set<String> listening = listeningInodes(proc, socket.toAbsolutePath().normalize());
        if (listening.isEmpty()) {
            return false;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && listening.contains(target.substring(8, target.length() - 1))) {
                        return true;
                    }
                } catch (IOException ignored) {
                    // the fd closed while we looked
                }
            }
        } catch (IOException e) {
            // gone while we looked
        }
        return false;
    }

    /** Inodes of the listening sockets bound to {@code socket}: "Num RefCount Protocol Flags Type St Inode Path". */
    private static Set<String> listeningInodes(Path proc, Path socket) {
        Set<String> inodes = new HashSet<>();
        try {
            List<String> lines = Files.readAllLines(proc.resolve("net").resolve("unix"));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.strip().split("\\s+", 8);
                if (f.length == 8 && f[3].equals(LISTENING) && samePath(Path.of(f[7]).normalize(), socket)) {
                    inodes.add(f[6]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone while we looked, or a path Java cannot take
        }
        return inodes;
    }

    /** The table keeps the path as bound: {@code /var/run/x.qmp} is {@code /run/x.qmp} where {@code /var/run} links to {@code /run}. */
    private static boolean samePath(Path bound, Path socket) {
        if (bound.equals(socket)) {
            return true;
        }
        if (!bound.isAbsolute() || bound.getParent() == null || socket.getParent() == null || !bound.getFileName().equals(socket.getFileName())) {
            return false;
        }
        try {
            return bound.getParent().toRealPath().equals(socket.getParent().toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The user of the listener a connection to {@code socket} reaches, by its peer credentials.
     * Connects (non-blocking: a full backlog answers at once instead of blocking) and closes; a
     * QEMU busy with another client keeps the closed connection queued until that client leaves, so
     * this is for telling apart several listeners of one path, not for every look-up.
     */
    static Optional<UserPrincipal> user(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.configureBlocking(false);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return Optional.of(channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** True if the process ({@code /proc/PID}) runs as {@code user} (its effective uid, as peer credentials record it). */
    static boolean runsAs(Path proc, UserPrincipal user) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("Uid:")) {
                    String effective = line.substring(4).strip().split("\\s+")[1];
                    return user.equals(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(effective));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or unreadable: not the listener as far as we can tell
        }
        return false;
    }
}
