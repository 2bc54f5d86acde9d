package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.VmProbe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code hotsnap snapshot --vms it1,it2 --cluster --json}: a committed cut, its skew in the JSON. */
@ExtendWith(TestLab.class)
class ClusterSnapshotCommandIT {

    @TempDir
    Path store;

    @Test
    void snapshotPrintsTheCommittedCutInTheDocumentedShape(Lab lab) throws Exception {
        CliRun run = CliRun.of("snapshot", "--hosts", "local", "--vms", "it1,it2,it3", "--mode", "hold", "--json",
                "--store", store.toString());

        assertEquals(0, run.code(), run.err());
        JsonNode result = run.json();
        for (String field : List.of("id", "status", "mode", "skewMs", "commitMs", "vms", "tcp")) {
            assertTrue(result.has(field), field + " in " + result);
        }
        assertEquals("committed", result.path("status").asText(), result.toString());
        assertEquals("hold", result.path("mode").asText());
        assertEquals(3, result.path("vms").size(), result.toString());
        for (JsonNode vm : result.path("vms")) {
            for (String field : List.of("name", "host", "downtimeMs", "holdMs", "transientMs", "fullMs", "memoryBytes", "diskBytes")) {
                assertTrue(vm.has(field), field + " in " + vm);
            }
            assertEquals("local", vm.path("host").asText());
        }
        JsonNode tcp = result.path("tcp");
        assertEquals(0, tcp.path("orphanPackets").asInt(-1), tcp.toString());
        assertEquals(3, tcp.path("flows").size(), "the ring of streams between the three VMs: " + tcp);
        for (JsonNode flow : tcp.path("flows")) {
            for (String field : List.of("from", "to", "stallMs", "retransmits")) {
                assertTrue(flow.has(field), field + " in " + flow);
            }
        }
        for (LabVmStatus vm : lab.status()) {
            VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
            assertTrue(probe.runningAndClean(), vm.name() + ": " + probe);
        }
    }
}
