package io.hotsnap.vm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who listens on a UNIX socket, as the kernel recorded it: the user from the socket's peer
 * credentials ({@code SO_PEERCRED}, read on a connection of our own that is closed at once), and
 * whether a given process holds the listening socket of that path. Java reports the peer's user
 * and group, not its PID, so the process is found by the socket it holds, never by its arguments.
 */
final class SocketPeer {

    /** A listening socket in {@code /proc/PID/net/unix} ({@code __SO_ACCEPTCON}). */
    private static final String LISTENING = "00010000";
    /**
     * How long a listener whose backlog is full (QEMU serves one client; the others wait queued)
     * is tried again before we give up knowing who it is.
     */
    private static final Duration BUSY_PATIENCE = Duration.ofSeconds(1);
    private static final Duration BUSY_RETRY = Duration.ofMillis(20);

    private final Path socket;
    private final UserPrincipal user;

    private SocketPeer(Path socket, UserPrincipal user) {
        this.socket = socket.toAbsolutePath().normalize();
        this.user = user;
    }

    /** The listener on {@code socket}; empty when nothing listens there (no file, a stale one). */
    static Optional<SocketPeer> of(Path socket) {
        long deadline = System.nanoTime() + BUSY_PATIENCE.toNanos();
        while (true) {
            // Non-blocking: a full backlog answers EAGAIN at once instead of blocking us without bound.
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.configureBlocking(false);
                channel.connect(UnixDomainSocketAddress.of(socket));
                UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
                return Optional.of(new SocketPeer(socket, peer.user()));
            } catch (ConnectException e) {
                return Optional.empty();
            } catch (SocketException e) {
                if (!Files.exists(socket) || System.nanoTime() > deadline || !pause()) {
                    return Optional.empty();
                }
            } catch (IOException | UnsupportedOperationException e) {
                return Optional.empty();
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(BUSY_RETRY.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True if the process ({@code /proc/PID}) runs as the listener's user (its effective uid, as peer credentials record). */
    boolean owns(Path proc) {
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

    /** True if the process holds a listening socket bound to our path (in its own network namespace's table). */
    boolean listensIn(Path proc) {
        Set<String> listening = listeningInodes(proc);
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

    /** Inodes of the listening sockets bound to our path: "Num RefCount Protocol Flags Type St Inode Path". */
    private Set<String> listeningInodes(Path proc) {
        Set<String> inodes = new HashSet<>();
        try {
            List<String> lines = Files.readAllLines(proc.resolve("net").resolve("unix"));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.strip().split("\\s+", 8);
                if (f.length == 8 && f[3].equals(LISTENING) && Path.of(f[7]).normalize().equals(socket)) {
                    inodes.add(f[6]);
                }
            }
        } catch (IOException e) {
            // gone while we looked
        }
        return inodes;
    }
}
