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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "hosts" as network namespaces, each with its own sshd on 10.70.0.x port 22 and its own
 * agent: one hold-mode cut across them, one lab VM per host ({@code HOST/VM}), reporting the skew
 * between the two agents' snapshot points. The namespaces share this machine's filesystem, so both
 * agents see both VMs (each is asked for its own) and write into one store, as hosts sharing an NFS
 * store would. The VMs' taps stay in the root namespace, where each agent captures them (it runs
 * tcpdump in the network namespace of the VM's QEMU), so the cut is judged by its orphans and
 * retransmissions across hosts.
 */
class MultiHostClusterIT {

    /** Cuts per test run; {@code -Dhotsnap.multihost.runs=10} for the figures a closing note quotes. */
    private static final int RUNS = Integer.getInteger("hotsnap.multihost.runs", 3);
    /** Linux's minimum retransmission timeout: a segment or ACK held longer is resent by design. */
    private static final double MIN_RTO_MS = 200;

    @RegisterExtension
    static final OwnLab LAB = OwnLab.of("ss", "hsbr-ss", "10.72.0", 2, 0);

    @TempDir
    static Path dir;
    static NetnsHosts hosts;
    static final List<Sshd> sshds = new ArrayList<>();
    static SshAgentConnector connector;

    @BeforeAll
    static void startHosts() throws Exception {
        hosts = NetnsHosts.create(2);
        ClientFiles client = new ClientFiles(dir.resolve("client"));
        Files.createDirectories(client.dir);
        Path key = client.key("id_ed25519");
        List<String> known = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Sshd sshd = Sshd.start(dir.resolve("sshd-" + i), NetnsHosts.address(i), 22, NetnsHosts.inside(i));
            sshds.add(sshd);
            sshd.authorize("root", ClientFiles.pub(key));
            known.add(sshd.knownHostsLine());
        }
        Path knownHosts = client.knownHosts("known_hosts", known.toArray(String[]::new));
        Path config = client.config("config",
                "Host kvm1", "  HostName " + NetnsHosts.address(1),
                "Host kvm2", "  HostName " + NetnsHosts.address(2),
                "Host *", "  User root", "  IdentityFile " + key, "  UserKnownHostsFile " + knownHosts, "  StrictHostKeyChecking yes");
        connector = new SshAgentConnector(client.settings(config), SshPrompts.none());
    }

    @AfterAll
    static void stopHosts() throws Exception {
        sshds.forEach(Sshd::close);
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void holdCutAcrossTwoHostsIsCommittedWithItsSkewReported() throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(snapshot());
        }
        for (JsonNode result : runs) {
            assertEquals("committed", result.path("status").asText(), result.toString());
            // Both "hosts" share this machine's files, as hosts sharing an NFS store would: one manifest.
            assertTrue(Files.exists(dir.resolve("store").resolve(result.path("id").asText()).resolve("manifest.json")), "manifest");
            assertEquals(List.of("kvm1", "kvm2"), hostsOf(result));
            assertTrue(result.path("skewMs").asDouble() >= 0, result.toString());
            JsonNode tcp = result.path("tcp");
            assertEquals(2, tcp.path("flows").size(), "a stream each way between the hosts' VMs: " + tcp);
            assertEquals(0, tcp.path("orphanPackets").asInt(-1), "a hold-mode cut across hosts is consistent: " + tcp);
            if (maxOf(result, "holdMs") < MIN_RTO_MS) {
                tcp.path("flows").forEach(f -> assertEquals(0, f.path("retransmits").asInt(), "holds under TCP's minimum RTO: " + f));
            }
        }
        for (LabVmStatus vm : LAB.lab().status()) {
            VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
            assertTrue(probe.runningAndClean(), vm.name() + ": " + probe);
        }
        double[] skews = runs.stream().mapToDouble(r -> r.path("skewMs").asDouble()).sorted().toArray();
        double[] commits = runs.stream().mapToDouble(r -> r.path("commitMs").asDouble()).sorted().toArray();
        double[] downtimes = runs.stream().mapToDouble(r -> maxOf(r, "downtimeMs")).sorted().toArray();
        double[] clock = runs.stream().mapToDouble(r -> r.path("clockUncertaintyMs").asDouble()).sorted().toArray();
        double[] holds = runs.stream().mapToDouble(r -> maxOf(r, "holdMs")).sorted().toArray();
        int retransmits = runs.stream().mapToInt(r -> {
            int n = 0;
            for (JsonNode f : r.path("tcp").path("flows")) {
                n += f.path("retransmits").asInt();
            }
            return n;
        }).sum();
        System.err.printf(Locale.ROOT, "[cut 2 hosts] median of %d: skew %.3f ms, max downtime %.1f ms, max hold %.0f ms, commit %.0f ms,"
                + " clock uncertainty %.3f ms; orphans 0, retransmissions %d in all%n", RUNS, skews[RUNS / 2], downtimes[RUNS / 2],
                holds[RUNS / 2], commits[RUNS / 2], clock[RUNS / 2], retransmits);
    }

    private static List<String> hostsOf(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.path("vms").forEach(vm -> names.add(vm.path("host").asText()));
        return names.stream().sorted().toList();
    }

    private static double maxOf(JsonNode result, String field) {
        double m = 0;
        for (JsonNode vm : result.path("vms")) {
            m = Math.max(m, vm.path(field).asDouble());
        }
        return m;
    }

    private JsonNode snapshot() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HotsnapCli cli = new HotsnapCli(new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), connector);
        int code = cli.run(List.of("snapshot", "--hosts", "kvm1,kvm2", "--vms", "kvm1/ss1,kvm2/ss2", "--mode", "hold",
                "--json", "--store", dir.resolve("store").toString()));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode result = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        System.err.println("[2 hosts] " + result);
        return result;
    }
}
