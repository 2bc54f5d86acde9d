package io.hotsnap.agent;

import io.hotsnap.host.HostClock;
import io.hotsnap.net.TcpPacket;
import io.hotsnap.net.TrafficCapture;
import io.hotsnap.net.TrafficResult;
import io.hotsnap.net.VmCapture;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic capture of one snapshot or restore on this agent, from its start until the
 * coordinator asks for the frames (once) or it is discarded. A capture that cannot start costs the
 * measurement, not the snapshot or restore: its reason is what the coordinator gets.
 */
final class CaptureSession {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureSession.class);

    private TrafficCapture capture;
    private String unavailable;

    private CaptureSession(TrafficCapture capture, String unavailable) {
        this.capture = capture;
        this.unavailable = unavailable;
    }

    /** Nothing captured, nothing asked for. */
    static CaptureSession none() {
        return new CaptureSession(null, null);
    }

    /**
     * Starts capturing on {@code taps}.
     *
     * @param owner  names the snapshot or restore in the log, e.g. "Snapshot s1"
     * @param noTaps the reason given when there is no tap to capture on
     */
    static CaptureSession start(String owner, Supplier<List<TrafficCapture.Tap>> taps, String noTaps) {
        try {
            List<TrafficCapture.Tap> on = taps.get();
            return on.isEmpty() ? new CaptureSession(null, noTaps) : new CaptureSession(TrafficCapture.start(on), null);
        } catch (RuntimeException e) {
            LOG.warn("{}: no traffic capture: {}", owner, e.getMessage());
            return new CaptureSession(null, e.getMessage());
        }
    }

    /** Whether {@link #frames} has something to wait for and send: frames, or the reason there are none. */
    synchronized boolean capturing() {
        return capture != null || unavailable != null;
    }

    /**
     * Waits until {@code untilMicros} (host clock), stops the capture and returns its frames from
     * {@code fromMicros} on; the capture's files are deleted. Asked for once.
     */
    TrafficResult frames(long untilMicros, long fromMicros) {
        TrafficCapture c;
        synchronized (this) {
            if (capture == null) {
                return new TrafficResult(0, 0, List.of(), unavailable != null ? unavailable : "not captured");
            }
            c = capture;
            capture = null;
        }
        try {
            Thread.sleep(Math.max(0, (untilMicros - HostClock.wallMicros()) / 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            return new TrafficResult(0, 0, List.of(), "interrupted");
        }
        long stoppedAt = HostClock.wallMicros();
        List<VmCapture> vms = c.stop().stream()
                .map(v -> new VmCapture(v.vm(), from(v.sent(), fromMicros), from(v.arrived(), fromMicros), v.truncated()))
                .toList();
        return new TrafficResult(Math.max(c.startedAt(), fromMicros), stoppedAt, vms, null);
    }

    private static List<TcpPacket> from(List<TcpPacket> packets, long fromMicros) {
        return packets.stream().filter(p -> p.atMicros() >= fromMicros).toList();
    }

    /** The capture's tcpdumps killed and files deleted; never throws. */
    synchronized void discard() {
        if (capture != null) {
            capture.close();
            capture = null;
        }
    }
}
