package io.hotsnap.vm;

import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
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
 * The QEMU process behind a QMP socket, found through the socket's peer and {@code /proc}: its PID,
 * its command line (which restore reuses) and what only the process shows, such as an open {@code /dev/vhost-net}.
 */
public record QemuProcess(long pid, List<String> cmdline) {

    private static final String DELETED = " (deleted)";

    /**
     * The process with this PID, if it exists and runs a QEMU binary. Its command line starts with
     * the binary the kernel runs ({@code /proc/PID/exe}), not the {@code argv[0]} its starter chose:
     * restore runs that binary as root.
     */
    public static Optional<QemuProcess> of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        return executable(proc).filter(QemuProcess::isQemu).flatMap(exe -> cmdline(proc)
                .filter(cmd -> !cmd.isEmpty())
                .map(cmd -> {
                    List<String> withExe = new ArrayList<>(cmd);
                    withExe.set(0, exe.toString());
                    return new QemuProcess(pid, List.copyOf(withExe));
                }));
    }

    /** The binary the process runs; a binary replaced on disk since (a package upgrade) by its path. */
    private static Optional<Path> executable(Path proc) {
        try {
            String exe = Files.readSymbolicLink(proc.resolve("exe")).toString();
            return Optional.of(Path.of(exe.endsWith(DELETED) ? exe.substring(0, exe.length() - DELETED.length()) : exe));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // gone, a kernel thread, or not ours to see
        }
    }

    private static boolean isQemu(Path exe) {
        return exe.getFileName() != null && exe.getFileName().toString().startsWith("qemu-system");
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
        return Poll.every(Waits.STATE_POLL, bound).until(() -> exited(pid));
    }

    /**
     * The QEMU process listening on {@code socket}, known by the kernel, never by a command line
     * (anyone may name a process {@code qemu-system-*} and put the path in its arguments): the one
     * process of a QEMU binary that holds a listening socket bound to that path. Where several do
     * (one unlinked the other's path and bound it again), the path reaches the newer listener, and
     * the socket's peer credentials say whose it is. Empty when nothing listens there (a stale
     * socket), the listener is not a QEMU, or it cannot be told which one it is.
     */
    public static Optional<QemuProcess> serving(Path socket) {
        List<Path> holders = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                if (executable(proc).filter(QemuProcess::isQemu).isPresent() && SocketListener.heldBy(proc, socket)) {
                    holders.add(proc);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        List<Path> fit = holders.size() <= 1 ? holders : SocketListener.user(socket)
                .map(user -> holders.stream().filter(proc -> SocketListener.runsAs(proc, user)).toList())
                .orElse(List.of());
        return fit.size() == 1 ? of(Long.parseLong(fit.get(0).getFileName().toString())) : Optional.empty();
    }

    /**
     * A netdev whose packets QEMU's net layer never sees: vhost asked for (any of QEMU's spellings
     * of true, or vhost descriptors handed over, as libvirt does), or a vhost-user / vDPA backend.
     */
    private static final Pattern VHOST_NETDEV = Pattern.compile(
            "(?:^|,)vhost=(?:on|yes|true|y)(?:,|$)|\"vhost\":\\s*true|(?:^|,)vhostfds?=|\"vhostfds?\":"
                    + "|^(?:type=)?vhost-(?:user|vdpa)(?:,|$)|\"type\":\\s*\"vhost-(?:user|vdpa)\"");
    private static final Pattern NETDEV_ID = Pattern.compile("(?:(?:^|,)id=|\"id\":\\s*\")([^,\"]+)");
    /** A PCI device of the host handed to the guest (libvirt's {@code <hostdev>}, a NIC's VF): QEMU carries none of its traffic. */
    private static final Pattern VFIO_DEVICE = Pattern.compile("^(?:driver=)?vfio-pci(?:,|$)|\"driver\":\\s*\"vfio-pci\"");
    private static final Pattern VFIO_HOST = Pattern.compile("(?:(?:^|,)(?:host|sysfsdev)=|\"(?:host|sysfsdev)\":\\s*\")([^,\"]+)");

    /** Ids of the netdevs whose {@code -netdev} argument asks for vhost or a vhost backend (key=value or JSON form). */
    public Set<String> vhostNetdevsOnCommandLine() {
        Set<String> ids = new HashSet<>();
        for (String arg : argumentsOf("-netdev")) {
            if (VHOST_NETDEV.matcher(arg).find()) {
                Matcher id = NETDEV_ID.matcher(arg);
                if (id.find()) {
                    ids.add(id.group(1));
                }
            }
        }
        return ids;
    }

    /** The host PCI devices passed through with {@code vfio-pci}, by host address (or sysfs path). */
    public List<String> passedThroughDevices() {
        List<String> devices = new ArrayList<>();
        for (String arg : argumentsOf("-device")) {
            if (VFIO_DEVICE.matcher(arg).find()) {
                Matcher host = VFIO_HOST.matcher(arg);
                devices.add(host.find() ? host.group(1) : "vfio-pci");
            }
        }
        return devices;
    }

    private List<String> argumentsOf(String option) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i + 1 < cmdline.size(); i++) {
            if (cmdline.get(i).equals(option)) {
                args.add(cmdline.get(i + 1));
            }
        }
        return args;
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
