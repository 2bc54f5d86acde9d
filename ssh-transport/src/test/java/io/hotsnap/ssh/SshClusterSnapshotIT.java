package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.cli.HotsnapCli;
import io.hotsnap.cli.ResultPrinter;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.VmProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hotsnap snapshot --hosts root@127.0.0.1:PORT --vms ss1,ss2 --mode hold --json}: a cluster
 * cut of two lab VMs through a real sshd and the deployed agent, beside the same cut through the
 * local child agent, so the two transports' skew, downtime and commit time can be compared.
 */
class SshClusterSnapshotIT {

    private static final int RUNS = 3;
    private static final List<String> VMS = List.of("ss1", "ss2");

    @RegisterExtension
    static final OwnLab LAB = OwnLab.of("ss", "hsbr-ss", "10.72.0", 2, 0);

    @TempDir
    static Path dir;
    static Sshd sshd;
    static SshAgentConnector connector;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = Sshd.start(dir.resolve("sshd"));
        ClientFiles client = new ClientFiles(dir.resolve("client"));
        java.nio.file.Files.createDirectories(client.dir);
        Path key = client.key("id_ed25519");
        sshd.authorize("root", ClientFiles.pub(key));
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        Path config = client.config("config", "Host *", "  IdentityFile " + key, "  UserKnownHostsFile " + known,
                "  StrictHostKeyChecking yes");
        connector = new SshAgentConnector(client.settings(config), SshPrompts.none());
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void holdCutThroughSshdIsCommittedAndLeavesTheVmsRunningAndClean() throws Exception {
        String remote = "root@127.0.0.1:" + sshd.port();
        List<JsonNode> viaSsh = new ArrayList<>();
        List<JsonNode> viaLocal = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            viaSsh.add(snapshot(remote, "ssh-" + i));
            viaLocal.add(snapshot("local", "local-" + i));
        }
        for (JsonNode result : viaSsh) {
            assertEquals("committed", result.path("status").asText(), result.toString());
            assertEquals("hold", result.path("mode").asText());
            assertEquals(2, result.path("vms").size());
            for (JsonNode vm : result.path("vms")) {
                assertEquals(remote, vm.path("host").asText(), vm.toString());
            }
        }
        for (LabVmStatus vm : LAB.lab().status()) {
            VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
            assertTrue(probe.runningAndClean(), vm.name() + ": " + probe);
        }
        report("ssh  ", viaSsh);
        report("local", viaLocal);
    }

    private JsonNode snapshot(String host, String store) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HotsnapCli cli = new HotsnapCli(new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), connector);
        long t0 = System.nanoTime();
        int code = cli.run(List.of("snapshot", "--hosts", host, "--vms", String.join(",", VMS), "--mode", "hold", "--json",
                "--store", dir.resolve(store).toString()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode result = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        ((com.fasterxml.jackson.databind.node.ObjectNode) result).put("commandMs", ms);
        System.err.println("[" + host + "] " + result.toString());
        return result;
    }

    private static void report(String label, List<JsonNode> runs) {
        System.err.printf(Locale.ROOT, "[cut %s] median of %d: skew %.3f ms, max downtime %.1f ms, max hold %.1f ms, commit %.0f ms,"
                        + " clock uncertainty %.3f ms, whole command %.0f ms%n", label, runs.size(),
                median(runs, r -> r.path("skewMs").asDouble()),
                median(runs, r -> max(r, "downtimeMs")),
                median(runs, r -> max(r, "holdMs")),
                median(runs, r -> r.path("commitMs").asDouble()),
                median(runs, r -> r.path("clockUncertaintyMs").asDouble()),
                median(runs, r -> r.path("commandMs").asDouble()));
    }

    private static double max(JsonNode result, String field) {
        double m = 0;
        for (JsonNode vm : result.path("vms")) {
            m = Math.max(m, vm.path(field).asDouble());
        }
        return m;
    }

    private static double median(List<JsonNode> runs, ToDoubleFunction<JsonNode> value) {
        double[] v = runs.stream().mapToDouble(value).sorted().toArray();
        return v[v.length / 2];
    }
}
