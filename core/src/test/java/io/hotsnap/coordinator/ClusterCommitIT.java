package io.hotsnap.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.Reply;
import io.hotsnap.protocol.Request;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.VmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cut is committed everywhere or nowhere. Two agents (child processes) as two hosts with stores of
 * their own, one lab VM each; kvm2's store is a small tmpfs that fills up (a file of someone else's)
 * once its VM's part is done, so its commit fails for real (ENOSPC) while kvm1's succeeds. The cut
 * fails naming kvm2, and no manifest and no file of the cut remains on either host.
 */
class ClusterCommitIT {

    @RegisterExtension
    static final OwnLab OWN_LAB = OwnLab.of("tp", "hsbr-tp", "10.86.0", 2, 0);
    private static final Lab LAB = OWN_LAB.lab();

    @TempDir
    Path dir;
    private Path store1;
    private Path store2;

    @BeforeEach
    void stores() throws Exception {
        store1 = Files.createDirectories(dir.resolve("kvm1-store"));
        store2 = Files.createDirectories(dir.resolve("kvm2-store"));
        run("mount", "-t", "tmpfs", "-o", "size=512m,mode=0700", "hotsnap-commit-it", store2.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", store2.toString());
    }

    @Test
    void aCommitThatFailsOnOneHostWithdrawsTheCutFromEveryHostAndNamesIt() throws Exception {
        Path filler = store2.resolve("someone-elses-file");
        AtomicBoolean filled = new AtomicBoolean();
        ClusterException failure;
        try (LocalAgentLink agent1 = LocalAgentLink.start(Timeouts.defaults());
             LocalAgentLink agent2 = LocalAgentLink.start(Timeouts.defaults())) {
            Coordinator coordinator = new Coordinator(List.of(
                    new ClusterTarget(new OwnHost("kvm1", agent1, store1), List.of("tp1")),
                    new ClusterTarget(new OwnHost("kvm2", agent2, store2), List.of("tp2"))),
                    ClusterOptions.defaults().withStore(store1.toString()), event -> {
                        if (event.kind() == EventKind.DONE && event.host().equals("kvm2") && filled.compareAndSet(false, true)) {
                            // Runs before the coordinator learns of the part, hence before any commit.
                            fill(filler);
                        }
                    });
            failure = assertThrows(ClusterException.class, coordinator::snapshot);
        }
        assertTrue(filled.get(), "kvm2's part was done before its store filled up");
        assertEquals(List.of(), listing(store1), "kvm1 had committed: its manifest and parts are withdrawn");
        assertEquals(List.of(filler), listing(store2), "kvm2 keeps nothing of the cut, and the file that was there already");
        assertTrue(failure.getMessage().contains("commit failed on kvm2"), failure.getMessage());
        for (LabVmStatus vm : LAB.status()) {
            VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
            assertTrue(probe.runningAndClean(), vm.name() + ": " + probe);
        }
    }

    /** Takes every free byte of the store's filesystem. */
    private static void fill(Path file) {
        try {
            long free = Files.getFileStore(file.getParent()).getUsableSpace();
            run("fallocate", "-l", Long.toString(free), file.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot fill " + file.getParent() + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> listing(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).sorted().toList();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }

    /**
     * A local agent as a host of its own: its name, and its store where the coordinator's options
     * name another's (two hosts have two filesystems; these two agents share one).
     */
    private record OwnHost(String hostName, LocalAgentLink agent, Path store) implements ForwardingAgentLink {

        @Override
        public StreamAgentLink stream() {
            return agent.stream();
        }

        @Override
        public CompletableFuture<Reply> request(Request request, Duration timeout) {
            Request own = request instanceof Request.Prepare p ? new Request.Prepare(p.snapshotId(), p.mode(), p.vms(),
                    store.toString(), p.diskMode(), p.staggerMillis(), p.capture()) : request;
            return agent.request(own, timeout);
        }

        @Override
        public void close() {
            agent.close();
        }
    }
}
