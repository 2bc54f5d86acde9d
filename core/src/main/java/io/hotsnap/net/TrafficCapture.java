package io.hotsnap.net;

import io.hotsnap.host.HostClock;
import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostCommandException;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.host.SafeName;
import io.hotsnap.settings.StreamLimits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures the TCP traffic of VMs on their host taps with tcpdump, for the stall, retransmission
 * and orphan analysis. Taps, not QEMU's {@code filter-dump}: tcpdump stamps frames with the host's
 * wall clock (the clock of QMP's events), while filter-dump uses the guest's virtual clock, which
 * stands still while the VM is paused. On a VM's tap, a frame from its MAC is one it sent; a frame
 * to its MAC, one the host passed to it (whether the guest got it then or after a pause or hold
 * is the analysis's business).
 */
public final class TrafficCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficCapture.class);
    /** Headers only: Ethernet, IPv4 and TCP with options fit; the payload length comes from the IP header. */
    private static final int SNAP_LENGTH = 128;
    /** A pcap file's header, and each record's. */
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;

    /**
     * One VM's tap to capture.
     *
     * @param qemuPid the VM's QEMU process (its tap lives in that process's network namespace), or null
     */
    public record Tap(String vm, String ifname, String mac, Long qemuPid) {
    }

    private record Running(Tap tap, Process process, Path file) {
    }

    private final Path dir;
    private final long limitBytes;
    private final List<Running> running = new ArrayList<>();
    private long startedAt;

    private TrafficCapture(Path dir, long limitBytes) {
        this.dir = dir;
        this.limitBytes = limitBytes;
    }

    /** Starts one tcpdump per tap and returns once every one is listening, so nothing of the window is missed. */
    public static TrafficCapture start(List<Tap> taps) {
        return start(taps, StreamLimits.defaults());
    }

    static TrafficCapture start(List<Tap> taps, StreamLimits limits) {
        if (!HostCommand.onPath("tcpdump")) {
            throw new HostCommandException("traffic capture needs tcpdump: apt-get install tcpdump");
        }
        TrafficCapture capture;
        try {
            // Owner-only, as Java creates temporary directories on POSIX systems.
            capture = new TrafficCapture(Files.createTempDirectory("hotsnap-capture"), limits.captureBytes());
        } catch (IOException e) {
            throw new HostCommandException("cannot create a capture directory: " + e.getMessage());
        }
        try {
            List<CompletableFuture<Void>> listening = new ArrayList<>();
            for (Tap tap : taps) {
                listening.add(capture.launch(tap));
            }
            CompletableFuture.allOf(listening.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            capture.close();
            throw new HostCommandException("cannot start capturing on " + taps.stream().map(Tap::ifname).toList() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
        capture.startedAt = HostClock.wallMicros();
        return capture;
    }

    private CompletableFuture<Void> launch(Tap tap) throws IOException {
        Path file = dir.resolve(SafeName.dirName(tap.vm()) + "-" + tap.ifname() + ".pcap");
        // -Z root: tcpdump would otherwise drop to its own user, who cannot write our private directory.
        // --immediate-mode: no 1 s kernel buffering, which would lose the last second at SIGTERM.
        List<String> command = new ArrayList<>(inNetworkNamespaceOf(tap.qemuPid()));
        // -c: tcpdump stops at as many frames as fit the byte cap (each at most a header and the snap length).
        command.addAll(List.of("tcpdump", "-i", tap.ifname(), "-w", file.toString(), "-U", "-n", "-s", Integer.toString(SNAP_LENGTH),
                "-c", Long.toString(maxFrames()), "-Z", "root", "--immediate-mode", "--time-stamp-precision=micro", "tcp"));
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        running.add(new Running(tap, p, file));
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                String last = "exited";
                while ((line = err.readLine()) != null) {
                    if (line.contains("listening on")) {
                        listening.complete(null);
                    } else {
                        last = line;
                        LOG.debug("tcpdump {}: {}", tap.ifname(), line);
                    }
                }
                listening.completeExceptionally(new IOException("tcpdump on " + tap.ifname() + ": " + last));
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
        }, "capture-" + tap.ifname());
        t.setDaemon(true);
        t.start();
        return listening;
    }

    /**
     * The prefix that runs a command where the VM's tap is: QEMU may run in another network
     * namespace than this agent (a container, a test's namespaced "host").
     */
    private static List<String> inNetworkNamespaceOf(Long pid) {
        if (pid == null) {
            return List.of();
        }
        try {
            Path theirs = Path.of("/proc", pid.toString(), "ns", "net");
            if (Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")))) {
                return List.of();
            }
            return List.of("nsenter", "--net=" + theirs);
        } catch (IOException e) {
            return List.of(); // cannot tell: capture here, and say so if the tap is not found
        }
    }

    private long maxFrames() {
        return Math.max(1, (limitBytes - FILE_HEADER) / (RECORD_HEADER + SNAP_LENGTH));
    }

    /** When every tcpdump was listening, host µs. */
    public long startedAt() {
        return startedAt;
    }

    /** Stops every tcpdump (it flushes on SIGTERM), reads the frames per VM and deletes the files. */
    public List<VmCapture> stop() {
        List<VmCapture> out = new ArrayList<>();
        for (Running r : running) {
            r.process().destroy();
        }
        for (Running r : running) {
            try {
                if (!r.process().waitFor(5, TimeUnit.SECONDS)) {
                    r.process().destroyForcibly();
                }
                out.add(read(r.tap(), r.file()));
            } catch (IOException e) {
                LOG.warn("capture on {} unreadable: {}", r.tap().ifname(), e.getMessage());
                out.add(new VmCapture(r.tap().vm(), List.of(), List.of(), false));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        return merge(out);
    }

    /** The tap's frames, as the VM sent or was given them; truncated when tcpdump stopped at the cap. */
    private VmCapture read(Tap tap, Path file) throws IOException {
        String mac = tap.mac().toLowerCase(Locale.ROOT);
        List<TcpPacket> sent = new ArrayList<>();
        List<TcpPacket> arrived = new ArrayList<>();
        PcapReader.Summary read = PcapReader.read(file, limitBytes, f -> {
            if (f.srcMac().equals(mac)) {
                sent.add(f.tcp());
            } else if (f.dstMac().equals(mac)) {
                arrived.add(f.tcp());
            }
        });
        boolean truncated = read.cut() || read.records() >= maxFrames();
        if (truncated) {
            LOG.warn("capture on {} reached its cap of {} bytes: the frames after it are not analysed", tap.ifname(), limitBytes);
        }
        return new VmCapture(tap.vm(), sent, arrived, truncated);
    }

    /** A VM with several NICs: one capture per VM. */
    private static List<VmCapture> merge(List<VmCapture> perTap) {
        Map<String, VmCapture> byVm = new LinkedHashMap<>();
        for (VmCapture c : perTap) {
            byVm.merge(c.vm(), c, (a, b) -> new VmCapture(a.vm(), concat(a.sent(), b.sent()), concat(a.arrived(), b.arrived()),
                    a.truncated() || b.truncated()));
        }
        return List.copyOf(byVm.values());
    }

    private static List<TcpPacket> concat(List<TcpPacket> a, List<TcpPacket> b) {
        List<TcpPacket> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Kills whatever still runs and deletes the files; never throws. */
    @Override
    public void close() {
        running.forEach(r -> r.process().destroyForcibly());
        try {
            PrivateFiles.deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
