package io.hotsnap.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LibvirtPeerTableTest {

    private static LibvirtPeerReport.Result result(String method, double pause, Double vsOurs) {
        return new LibvirtPeerReport.Result(method, Stats.of(List.of(pause, pause * 2)), Stats.of(List.of(1.0)), Stats.of(List.of(pause)),
                Stats.of(List.of(900.0)), vsOurs, 0);
    }

    @Test
    void tableHasOneBlockPerLoadAndOneRowPerMethodWithMedianAndMax() {
        LibvirtPeerReport report = new LibvirtPeerReport(2, 1, PeerDomain.NAME, 256, List.of(1.5, 2.0), List.of(
                new LibvirtPeerReport.Load(0, 0.1, List.of(result("hotsnap", 20.0, 1.0), result("libvirt", 2000.0, 100.0))),
                new LibvirtPeerReport.Load(20, 19.5, List.of(result("hotsnap", 30.0, 1.0)))),
                List.of(new LibvirtPeerReport.Failure("libvirt --live", 20, 2, "boom")));

        List<String> lines = LibvirtPeerTable.lines(report);

        assertTrue(lines.stream().anyMatch(l -> l.startsWith("idle guest (measured dirtying 0.1 MiB/s)")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("guest dirtying 20 MiB/s (measured 19.5 MiB/s)")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("libvirt ") && l.contains("3000.0 / 4000.0") && l.contains("100.0x")),
                lines.toString());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("hotsnap ") && l.endsWith("0/2")).count(), lines.toString());
        assertTrue(lines.contains("failed: libvirt --live, dirtying 20 MiB/s, run 2: boom"), lines.toString());
    }

    @Test
    void theIdleGuestIsAlwaysMeasuredAndTheLoadedOneUnlessTheLoadIsZero() {
        assertEquals(List.of(0, 20), new LibvirtPeerOptions(10, 1, 256, 20).loads());
        assertEquals(List.of(0), new LibvirtPeerOptions(10, 1, 256, 0).loads());
        assertThrows(IllegalArgumentException.class, () -> new LibvirtPeerOptions(0, 1, 256, 20));
    }
}
