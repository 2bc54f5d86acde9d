package io.hotsnap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.settings.StreamLimits;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real tcpdump on the loopback interface: a capture stops at its byte cap and says it was cut. */
@Timeout(60)
class TrafficCaptureTest {

    private static final int CAP_FRAMES = 10;

    @Test
    void aCaptureStopsAtItsByteCapAndIsReportedTruncated() throws Exception {
        // Ten records of a header and the 128-byte snap length: room for ten frames, not more.
        StreamLimits limits = new StreamLimits(Duration.ofMinutes(3), 24 + CAP_FRAMES * (16 + 128));
        List<VmCapture> captured;
        try (TrafficCapture capture = TrafficCapture.start(List.of(new TrafficCapture.Tap("lo-vm", "lo", "00:00:00:00:00:00", null)),
                limits)) {
            exchange(100);
            captured = capture.stop();
        }
        assertEquals(1, captured.size());
        VmCapture lo = captured.get(0);
        assertTrue(lo.truncated(), "100 segments and their ACKs are past a cap of " + CAP_FRAMES + " frames");
        assertTrue(lo.sent().size() + lo.arrived().size() <= CAP_FRAMES, lo.sent().size() + " frames kept");
    }

    /** {@code n} one-byte round trips over loopback TCP: at least 2n frames. */
    private static void exchange(int n) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            client.setTcpNoDelay(true);
            peer.setTcpNoDelay(true);
            OutputStream out = client.getOutputStream();
            InputStream in = peer.getInputStream();
            OutputStream back = peer.getOutputStream();
            InputStream echo = client.getInputStream();
            for (int i = 0; i < n; i++) {
                out.write(i);
                out.flush();
                back.write(in.read());
                back.flush();
                echo.read();
            }
        }
    }
}
