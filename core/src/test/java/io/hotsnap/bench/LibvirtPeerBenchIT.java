package io.hotsnap.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.HostCommand;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.UnprivilegedUserfaultfd;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code hotsnap bench --peer libvirt} under the host's real libvirtd, one run per method on the
 * idle guest: every method's pause comes from QEMU's events, ours is the shortest of the hot
 * ones, every run found the domain running with no libvirt snapshot left, and the bench's domain
 * and files are gone afterwards.
 */
class LibvirtPeerBenchIT {

    @RegisterExtension
    static final UnprivilegedUserfaultfd UFFD = new UnprivilegedUserfaultfd();

    @BeforeAll
    static void libvirtUp() throws Exception {
        HostCommand.check(List.of("../installers/start-libvirt.sh"), Duration.ofSeconds(60));
    }

    @Test
    void oursAndLibvirtsSnapshotsArePausedAsQemuReportsAndOursPausesLeast() throws Exception {
        CliRun r = CliRun.of("bench", "--peer", "libvirt", "--runs", "1", "--warmup", "0", "--mem", "128", "--dirty", "0", "--json");

        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertEquals(0, report.path("failures").size(), "every run ended with the domain running and no snapshot left: " + report.path("failures"));
        JsonNode results = report.path("loads").get(0).path("results");
        Map<String, Double> pause = new HashMap<>();
        for (JsonNode m : results) {
            JsonNode median = m.path("pauseMs").path("median");
            assertTrue(median.isNumber() && median.asDouble() > 0, m.path("method").asText() + " has no pause figure: " + m);
            assertTrue(m.path("pauses").path("median").asDouble() >= 1, m.toString());
            assertTrue(m.path("totalMs").path("median").asDouble() >= median.asDouble(), "a snapshot outlasts its pause: " + m);
            pause.put(m.path("method").asText(), median.asDouble());
        }
        assertEquals(List.of("hotsnap", "libvirt --live", "libvirt"), results.findValuesAsText("method"));
        assertTrue(pause.get("hotsnap") < pause.get("libvirt --live"), "ours pauses least of the hot snapshots: " + pause);
        assertFalse(LibvirtVirsh.list().contains(PeerDomain.NAME), "the bench domain is gone");
        assertFalse(Files.exists(PeerDomain.DIR), "the bench domain's files are gone");
    }

    /** The domains libvirt knows, asked with a virsh of its own. */
    private static final class LibvirtVirsh {
        static List<String> list() {
            return HostCommand.check(List.of("virsh", "-q", "-c", "qemu:///system", "list", "--all", "--name"), Duration.ofSeconds(30))
                    .stdout().lines().map(String::strip).toList();
        }
    }
}
