package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code hotsnap bench --peer}'s refusals: one usage line before anything boots. */
class PeerBenchTest {

    @Test
    void anUnknownPeerIsOneUsageLine() {
        CliRun r = CliRun.of("bench", "--peer", "xen");

        assertEquals(ExitCode.USAGE.code(), r.code(), r.err());
        assertEquals(List.of("hotsnap: --peer knows only libvirt, not 'xen'"), r.err().lines().toList());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void anOptionOfTheClusterBenchIsRefusedWithThePeer() {
        CliRun r = CliRun.of("bench", "--peer", "libvirt", "--modes", "hold");

        assertEquals(ExitCode.USAGE.code(), r.code(), r.err());
        assertEquals(List.of("hotsnap: unknown option --modes"), r.err().lines().toList());
    }
}
