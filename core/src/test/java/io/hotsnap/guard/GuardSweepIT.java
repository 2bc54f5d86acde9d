package io.hotsnap.guard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guard's last net: a disk copy node named after its agent, in a VM the agent armed and then
 * disarmed (its own undo failed quietly, or a step ran on after its abort: seen in CI after a
 * coordinator was killed in a staggered barrier cut), is removed once the agent has exited. The
 * "agent" is a plain process whose pid names the node; the guard is the real one, fed real lines.
 */
class GuardSweepIT {

    @RegisterExtension
    static final io.hotsnap.testing.OwnLab OWN_LAB = io.hotsnap.testing.OwnLab.of("gs", "hsbr-gs", "10.83.0", 1, 0);
    private static final Lab LAB = OWN_LAB.lab();
    private static final Duration CALL = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNodeOfAnAgentThatExitedIsRemovedFromAVmItHadDisarmed() throws Exception {
        LabVmStatus vm = LAB.status().get(0);
        Process agent = new ProcessBuilder("sleep", "600").start();
        String node = "hotsnap-" + agent.pid() + "-disk0";
        String keep = "not-hotsnaps-disk0";
        try (QmpClient qmp = new QmpClient(Path.of(vm.qmp()), Timeouts.defaults())) {
            qmp.connect(CALL);
            for (String name : List.of(node, keep)) {
                qmp.call("blockdev-add", Map.of("driver", "null-co", "node-name", name, "size", 1 << 20), CALL);
            }
        }
        Process guard = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GuardMain.class.getName(), Long.toString(agent.pid()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream toGuard = guard.getOutputStream()) {
            Undo undo = Undo.vm(vm.qmp(), Map.of());
            for (GuardLine line : List.of(new GuardLine(GuardLine.ARM, vm.name(), undo), new GuardLine(GuardLine.DISARM, vm.name(), null))) {
                toGuard.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        agent.destroyForcibly().waitFor();
        await("the guard's sweep").atMost(Duration.ofSeconds(30)).until(() -> !guard.isAlive());
        try (QmpClient qmp = new QmpClient(Path.of(vm.qmp()), Timeouts.defaults())) {
            qmp.connect(CALL);
            List<String> names = qmp.call("query-named-block-nodes", Map.of("flat", true), CALL).findValuesAsText("node-name");
            assertTrue(!names.contains(node), "the dead agent's node is gone: " + names);
            assertTrue(names.contains(keep), "a node not named after a dead agent stays: " + names);
            qmp.call("blockdev-del", Map.of("node-name", keep), CALL);
        }
    }
}
