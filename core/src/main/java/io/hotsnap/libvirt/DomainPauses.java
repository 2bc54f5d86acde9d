package io.hotsnap.libvirt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A domain's pauses as QEMU reports them: its STOP and RESUME events through libvirt's QEMU
 * event stream ({@code virsh qemu-monitor-event --loop}), stamped by QEMU itself. Whoever pauses
 * the guest (our engine, libvirt's own snapshot), the figure comes from the same events and the
 * same clock, so methods compare fairly.
 */
public final class DomainPauses implements AutoCloseable {

    /** What a guest lost in one operation: its pauses (STOP to RESUME) summed, how many, the longest. */
    public record Paused(double totalMs, int count, double longestMs) {
    }


    private record Event(String name, long micros) {
    }

    private final String domain;
    private final Process process;
    private final List<Event> events = new ArrayList<>();

    private DomainPauses(String domain, Process process) {
        this.domain = domain;
        this.process = process;
    }

    /** Subscribes to the domain's events on {@code uri}; they are recorded until {@link #close()}. */
    public static DomainPauses watch(String uri, String domain) {
        Process p;
        try {
            p = new ProcessBuilder("stdbuf", "-o0", "virsh", "-q", "-c", uri, "qemu-monitor-event", "--domain", domain, "--loop")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new VirshException("cannot watch the events of " + domain + ": " + e.getMessage());
        }
        DomainPauses watch = new DomainPauses(domain, p);
        Thread pump = new Thread(watch::pump, "libvirt-pauses-" + domain);
        pump.setDaemon(true);
        pump.start();
        try {
            Thread.sleep(Waits.VIRSH_EVENTS_SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!p.isAlive()) {
            throw new VirshException("virsh qemu-monitor-event for " + domain + " ended at once (exit " + p.exitValue() + ")");
        }
        return watch;
    }

    /** Microseconds since the epoch on QEMU's event clock (the host's real-time clock). */
    public static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /**
     * The pauses that began at or after {@code sinceMicros}, once the last of them has ended; waits
     * up to {@code patience} for its RESUME (events arrive a little after the command returns).
     *
     * @throws IllegalStateException if the guest is still paused after {@code patience}
     */
    public Paused since(long sinceMicros, Duration patience) {
        return Poll.every(Waits.STATE_POLL, patience).value(() -> Optional.ofNullable(tally(sinceMicros)))
                .orElseThrow(() -> new IllegalStateException(Thread.currentThread().isInterrupted() ? "interrupted"
                        : domain + " is still paused " + patience.toMillis() + " ms after the operation"));
    }

    /** Null while a STOP has no RESUME yet. */
    private synchronized Paused tally(long sinceMicros) {
        double total = 0;
        double longest = 0;
        int count = 0;
        Long stoppedAt = null;
        for (Event e : events) {
            if (e.micros() < sinceMicros) {
                continue;
            }
            if (e.name().equals("STOP") && stoppedAt == null) {
                stoppedAt = e.micros();
            } else if (e.name().equals("RESUME") && stoppedAt != null) {
                double ms = (e.micros() - stoppedAt) / 1000.0;
                total += ms;
                longest = Math.max(longest, ms);
                count++;
                stoppedAt = null;
            }
        }
        return stoppedAt == null ? new Paused(total, count, longest) : null;
    }

    private void pump() {
        ObjectMapper mapper = new ObjectMapper();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                MonitorEventLine.parse(line, domain, mapper).ifPresent(this::record);
            }
        } catch (IOException e) {
            // the stream ended (closed, or libvirtd gone): what came is kept
        }
    }

    private synchronized void record(ObjectNode event) {
        String name = event.path("event").asText();
        if (name.equals("STOP") || name.equals("RESUME")) {
            ObjectNode t = (ObjectNode) event.path("timestamp");
            events.add(new Event(name, t.path("seconds").asLong() * 1_000_000L + t.path("microseconds").asLong()));
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
