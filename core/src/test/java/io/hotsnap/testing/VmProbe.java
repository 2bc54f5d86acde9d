package io.hotsnap.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test sees of a VM through its own short QMP connection. A QMP socket takes one client at
 * a time, so this connects only while no snapshot job holds the VM, and lets go at once.
 */
public record VmProbe(String runStatus, boolean running, boolean backgroundSnapshotCapability, List<String> hotsnapNodes,
                      List<String> blockJobs, String migrationStatus, List<String> holdsOn) {

    private static final Duration CALL = Duration.ofSeconds(10);

    public static VmProbe of(Path qmpSocket) {
        try (QmpClient qmp = new QmpClient(qmpSocket, Timeouts.defaults())) {
            qmp.connect(Duration.ofSeconds(10));
            JsonNode status = qmp.call("query-status", null, CALL);
            boolean bg = false;
            for (JsonNode cap : qmp.call("query-migrate-capabilities", null, CALL)) {
                if (cap.path("capability").asText().equals("background-snapshot")) {
                    bg = cap.path("state").asBoolean();
                }
            }
            List<String> nodes = new ArrayList<>();
            for (JsonNode node : qmp.call("query-named-block-nodes", null, CALL)) {
                String name = node.path("node-name").asText();
                if (name.startsWith("hotsnap-")) {
                    nodes.add(name);
                }
            }
            List<String> jobs = new ArrayList<>();
            for (JsonNode job : qmp.call("query-block-jobs", null, CALL)) {
                jobs.add(job.path("device").asText());
            }
            String migration = qmp.call("query-migrate", null, CALL).path("status").asText("none");
            List<String> holdsOn = new ArrayList<>();
            for (JsonNode object : qmp.call("qom-list", java.util.Map.of("path", "/objects"), CALL)) {
                String name = object.path("name").asText();
                if (name.startsWith("hotsnap-hold") && qmp.call("qom-get", java.util.Map.of("path", "/objects/" + name, "property", "status"),
                        CALL).asBoolean()) {
                    holdsOn.add(name);
                }
            }
            return new VmProbe(status.path("status").asText(), status.path("running").asBoolean(), bg, nodes, jobs, migration, holdsOn);
        }
    }

    /** Running, and nothing of a snapshot left in QEMU: no capability, no block node, no job, no migration under way, no hold. */
    public boolean runningAndClean() {
        return running && holdsOn.isEmpty() && !backgroundSnapshotCapability && hotsnapNodes.isEmpty() && blockJobs.isEmpty()
                && !List.of("setup", "active", "device", "cancelling", "pre-switchover").contains(migrationStatus);
    }
}
