package io.hotsnap.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.HostCheck;
import io.hotsnap.protocol.HostCheck.Status;
import org.junit.jupiter.api.Test;

/** The clock line from measured offsets: synchronised, far off, and known only loosely. */
class HostCheckupTest {

    @Test
    void aSmallOffsetOnAQuickLinkIsOk() {
        HostCheck line = HostCheckup.clock(new ClockOffset(-250, 400));
        assertEquals(Status.OK, line.status());
        assertEquals("-0.250 ms (± 0.200 ms)", line.detail());
    }

    @Test
    void aClockSecondsOffWarnsToRunNtp() {
        HostCheck line = HostCheckup.clock(new ClockOffset(3_200_000, 400));
        assertEquals(Status.WARN, line.status());
        assertTrue(line.fix().contains("NTP"), line.fix());
    }

    @Test
    void aSlowLinkWarnsThatTheSkewIsLoose() {
        HostCheck line = HostCheckup.clock(new ClockOffset(100, 40_000));
        assertEquals(Status.WARN, line.status());
        assertTrue(line.detail().contains("± 20.000 ms"), line.detail());
    }

    @Test
    void anUnreachableHostIsOneFailingLineWithTheTransportsReason() {
        var result = HostCheckup.unreachable("kvm9", "no Java on the host: install openjdk-17-jre-headless");
        assertTrue(result.fails());
        assertEquals("no Java on the host: install openjdk-17-jre-headless", result.checks().get(0).detail());
    }
}
