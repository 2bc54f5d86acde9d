package io.hotsnap.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The QEMU process behind a QMP socket, found through {@code /proc}: its PID, its command line
 * (which restore reuses) and what only the process shows, such as an open {@code /dev/vhost-net}.
 */
public record QemuProcess(long pid, List<String> cmdline) {

    /** The process with this PID, if it exists and is a QEMU. */
    public static Optional<QemuProcess> of(long pid) {
        return cmdline(Path.of("/proc", Long.toString(pid)))
                .filter(cmd -> !cmd.isEmpty() && cmd.get(0).contains("qemu-system"))
                .map(cmd -> new QemuProcess(pid, cmd));
    }

    /**
     * True once the process is gone or a zombie: a daemonized QEMU belongs to whatever PID 1 the
     * host has, which may reap it late or never, and a zombie holds nothing any more.
     */
    public static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The state follows the command name in parentheses, which may itself contain ')'.
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /** Waits up to {@code bound} for {@link #exited}; false if the process is still there. */
    public static boolean awaitExit(long pid, java.time.Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!exited(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The QEMU process whose command line names {@code socket}, if one runs on this host. */
    public static Optional<QemuProcess> serving(Path socket) {
        String needle = socket.toString();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                Optional<List<String>> cmd = cmdline(proc);
                if (cmd.isPresent() && !cmd.get().isEmpty() && cmd.get().get(0).contains("qemu-system")
                        && cmd.get().stream().anyMatch(a -> a.contains(needle))) {
                    return Optional.of(new QemuProcess(Long.parseLong(proc.getFileName().toString()), cmd.get()));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static final Pattern VHOST_NETDEV = Pattern.compile("vhost=on|\"vhost\":\\s*true|vhostfd");
    private static final Pattern NETDEV_ID = Pattern.compile("(?:\\bid=|\"id\":\\s*\")([^,\"]+)");

    /** Ids of the netdevs whose {@code -netdev} argument asks for vhost (key=value or JSON form). */
    public Set<String> vhostNetdevsOnCommandLine() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i + 1 < cmdline.size(); i++) {
            String arg = cmdline.get(i + 1);
            if (cmdline.get(i).equals("-netdev") && VHOST_NETDEV.matcher(arg).find()) {
                Matcher id = NETDEV_ID.matcher(arg);
                if (id.find()) {
                    ids.add(id.group(1));
                }
            }
        }
        return ids;
    }

    /** The real uid QEMU runs as (libvirt's QEMU is not root, which userfaultfd cares about). */
    public int uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone or unreadable: assume the least privileged case
        }
        return -1;
    }

    /** True if the process holds {@code /dev/vhost-net} open (whatever its command line says). */
    public boolean holdsVhostNet() {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("/dev/vhost-net")) {
                        return true;
                    }
                } catch (IOException ignored) {
                    // the fd closed while we looked
                }
            }
        } catch (IOException e) {
            // not ours to inspect: the command line is all we can go by
        }
        return false;
    }

    private static Optional<List<String>> cmdline(Path proc) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return Optional.of(args);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
