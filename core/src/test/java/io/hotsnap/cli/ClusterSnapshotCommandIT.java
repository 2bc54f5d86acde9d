package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.VmProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import io.hotsnap.protocol.AgentConnector;
import io.hotsnap.settings.Timeouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code hotsnap snapshot --vms it1,it2 --cluster --json}: a committed cut, its skew in the JSON. */
@ExtendWith(TestLab.class)
class ClusterSnapshotCommandIT {

    @TempDir
    Path store;

    @Test
    void clusterFlagPrintsTheCommittedCutWithItsSkew(Lab lab) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HotsnapCli cli = new HotsnapCli(new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), HotsnapCli.coreCommands(AgentConnector.localOnly(Timeouts.defaults())));

        int code = cli.run(List.of("snapshot", "--vms", "it1,it2", "--cluster", "--json", "--store", store.toString()));

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode result = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("committed", result.path("status").asText(), result.toString());
        assertEquals("hold", result.path("mode").asText());
        assertTrue(result.path("skewMs").isNumber(), result.toString());
        assertEquals(2, result.path("vms").size(), result.toString());
        for (String name : List.of("it1", "it2")) {
            LabVmStatus vm = lab.status().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
            VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
            assertTrue(probe.runningAndClean(), name + ": " + probe);
        }
    }
}
