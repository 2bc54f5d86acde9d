package io.hotsnap.host;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** This host's wall clock and name, as the protocol reports them. */
public final class HostClock {

    private HostClock() {
    }

    /** Wall clock in µs since the epoch: the clock of QEMU's event timestamps and of tcpdump. */
    public static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * The kernel's host name. Read from /proc first: {@link InetAddress#getLocalHost()} resolves the
     * name through DNS, which can stall for seconds on a badly configured host.
     */
    public static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc not mounted: ask Java.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
