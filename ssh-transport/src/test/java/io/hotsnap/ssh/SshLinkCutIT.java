package io.hotsnap.ssh;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.coordinator.AgentLink;
import io.hotsnap.coordinator.ClusterOptions;
import io.hotsnap.coordinator.ClusterTarget;
import io.hotsnap.coordinator.Coordinator;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.VmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH link to a host cut while its VMs are held: the host is a network namespace with its own
 * sshd, and the link is the veth that joins it, set down mid-cut. Nothing ends the agent's input
 * (the TCP connection just goes quiet), so only the coordinator's missing heartbeat can tell it:
 * within the heartbeat bound the held VMs run and hear their peers again, and once the link is
 * back and everything has ended, QEMU carries nothing of ours.
 */
class SshLinkCutIT {

    @RegisterExtension
    static final OwnLab LAB = OwnLab.of("lc", "hsbr-lc", "10.93.0", 2, 0);
    /** The agent's heartbeat bound (5 s) and the time to see guests tick and streams flow again. */
    private static final Duration SAFE_WITHIN = Duration.ofSeconds(15);
    private static final String LINK = "hsss-h1a";

    @TempDir
    static Path dir;
    static NetnsHosts hosts;
    static Sshd sshd;
    static SshAgentConnector connector;

    @BeforeAll
    static void startHost() throws Exception {
        hosts = NetnsHosts.create(1);
        ClientFiles client = new ClientFiles(dir.resolve("client"));
        Files.createDirectories(client.dir);
        Path key = client.key("id_ed25519");
        sshd = Sshd.start(dir.resolve("sshd"), NetnsHosts.address(1), 22, NetnsHosts.inside(1));
        sshd.authorize("root", ClientFiles.pub(key));
        Path knownHosts = client.knownHosts("known_hosts", sshd.knownHostsLine());
        Path config = client.config("config", "Host kvm1", "  HostName " + NetnsHosts.address(1), "  User root",
                "  IdentityFile " + key, "  UserKnownHostsFile " + knownHosts, "  StrictHostKeyChecking yes");
        connector = new SshAgentConnector(client.settings(config), SshPrompts.none());
    }

    @AfterAll
    static void stopHost() throws Exception {
        Exec.run("ip", "link", "set", LINK, "up");
        if (sshd != null) {
            sshd.close();
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    /** The host's side of the bridge up or down: its veth on this side. */
    private static void link(boolean up) {
        try {
            Exec.check("ip", "link", "set", LINK, up ? "up" : "down");
        } catch (Exception e) {
            throw new IllegalStateException("cannot set " + LINK + (up ? " up" : " down"), e);
        }
    }

    @Test
    void aLinkCutWhileTheVmsAreHeldCostsSecondsNotVms() throws Exception {
        List<LabVmStatus> vms = LAB.lab().status();
        AgentLink link = connector.open("kvm1");
        AtomicInteger held = new AtomicInteger();
        AtomicLong cutAt = new AtomicLong();
        // A stagger keeps the second VM held for seconds: the cut lands while it is.
        CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> new Coordinator(
                List.of(new ClusterTarget(link, vms.stream().map(LabVmStatus::name).toList())),
                ClusterOptions.defaults().withStore(dir.resolve("store").toString()).withStagger(4000).withCapture(false), event -> {
                    if (event.kind() == EventKind.HOLD_ON && held.incrementAndGet() == vms.size()) {
                        link(false);
                        cutAt.set(System.nanoTime());
                    }
                }).snapshot());
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> cutAt.get() != 0 || cut.isDone());
            assertTrue(cutAt.get() != 0, "the cut never held every VM: " + cut);
            TestLab.awaitRunningAndHearing(vms, cutAt.get(), SAFE_WITHIN, true);
            System.err.printf("[link cut] both VMs run and hear their peers %.0f ms after the link went down%n",
                    (System.nanoTime() - cutAt.get()) / 1e6);
        } finally {
            link(true);
            try {
                cut.get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("[link cut] the cut ended: " + e.getMessage());
            }
            link.close();
        }
        for (LabVmStatus vm : vms) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
                assertTrue(probe.runningAndClean(), vm.name() + " not clean: " + probe);
            });
        }
    }
}
