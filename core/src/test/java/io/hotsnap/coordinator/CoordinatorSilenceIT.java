package io.hotsnap.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.restore.RestoreChoice;
import io.hotsnap.settings.AgentBounds;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.Clones;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.VmProbe;
import io.hotsnap.vm.QemuProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator that falls silent with its link still open (stopped, cut off, hung): the agent
 * releases what it holds for it within the heartbeat bound, on a real lab VM. The coordinator here
 * is this test driving a real agent process: silent means it sends nothing more.
 */
class CoordinatorSilenceIT {

    @RegisterExtension
    static final OwnLab OWN_LAB = OwnLab.of("hb", "hsbr-hb", "10.91.0", 1, 0);
    private static final Lab LAB = OWN_LAB.lab();
    private static final String VM = "hb1";
    /** The bound plus the watchdog's tick and one QMP round of releasing, on a busy TCG host. */
    private static final Duration RELEASED_WITHIN = AgentBounds.HEARTBEAT_SILENCE.plusSeconds(3);
    private static final Duration CALL = Duration.ofMinutes(2);

    @TempDir
    Path store;

    @Test
    void dayLongHoldIsRefusedAndASilentCoordinatorsHoldEndsWithinTheHeartbeatBound() throws Exception {
        List<AgentEvent> events = new CopyOnWriteArrayList<>();
        String id = "silent-hold";
        try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
            link.addListener(events::add);
            try (Heartbeat beat = new Heartbeat(link)) {
                link.call(new Request.Prepare(id, ClusterMode.HOLD.cliName(), List.of(VM), store.toString(), "none"), JsonNode.class, CALL);
                ProtocolException refused = assertThrows(ProtocolException.class,
                        () -> link.call(new Request.Hold(id, Duration.ofDays(1).toMillis()), JsonNode.class, CALL));
                assertEquals(ProtocolException.BAD_REQUEST, refused.code());
                assertEquals("a hold deadline of 86400000 ms is refused: this agent allows at most 10000 ms", refused.getMessage());
                assertTrue(events.stream().noneMatch(e -> e.kind() == EventKind.HOLD_ON), "a refused hold held: " + events);
                link.call(new Request.Hold(id, AgentBounds.MAX_HOLD.toMillis()), JsonNode.class, CALL);
            }
            long heldAt = System.nanoTime();
            assertTrue(events.stream().anyMatch(e -> e.kind() == EventKind.HOLD_ON), "held: " + events);

            // Silent from here. The probe gets the VM's QMP only once the agent has let go of the snapshot.
            VmProbe probe = VmProbe.of(qmp());
            double releasedMs = (System.nanoTime() - heldAt) / 1e6;
            System.err.printf("[hb] a silent coordinator's hold released and its snapshot aborted after %.0f ms%n", releasedMs);
            assertTrue(probe.runningAndClean(), VM + " after the release: " + probe);
            assertTrue(releasedMs < RELEASED_WITHIN.toMillis(), "released only after " + releasedMs + " ms");
            assertStoreEmpty();
        }
    }

    @Test
    void loadOfASilentCoordinatorIsDiscardedWithinTheHeartbeatBoundAndItIsToldWhenBack() throws Exception {
        String clone = VM + "-silent";
        Path vmDir = Path.of(status().disk()).getParent();
        Path socketDir = LAB.config().socketDir();
        Path cloneQmp = socketDir.resolve(clone + ".qmp");
        try {
            String snapshotId;
            try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
                snapshotId = new Coordinator(List.of(new ClusterTarget(link, List.of(VM))),
                        ClusterOptions.defaults().withStore(store.toString()).withCapture(false), e -> { }).snapshot().id();
            }
            List<Path> filesBefore = Clones.filesIn(vmDir);
            try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
                try (Heartbeat beat = new Heartbeat(link)) {
                    link.call(new Request.RestoreLoad("silent-restore", snapshotId, store.toString(),
                            List.of(RestoreChoice.asClone(VM, clone)), null), JsonNode.class, CALL);
                }
                long loadedAt = System.nanoTime();
                assertTrue(QemuProcess.serving(cloneQmp).isPresent(), "the clone waits paused for the resume");

                // Silent from here.
                await().atMost(TestLab.leftOf(loadedAt + RELEASED_WITHIN.toNanos())).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertTrue(QemuProcess.serving(cloneQmp).isEmpty() && Clones.filesIn(vmDir).equals(filesBefore),
                                "the silent coordinator's clone or its files still there: " + Clones.filesIn(vmDir)));
                System.err.printf("[hb] a silent coordinator's loaded clone discarded after %.0f ms%n", (System.nanoTime() - loadedAt) / 1e6);

                ProtocolException late = assertThrows(ProtocolException.class,
                        () -> link.call(new Request.RestoreResume("silent-restore"), JsonNode.class, CALL));
                assertTrue(late.getMessage().startsWith("restore silent-restore was discarded: nothing from the coordinator for"),
                        late.getMessage());
            }
            assertTrue(VmProbe.of(qmp()).running(), "the original runs on");
        } finally {
            Clones.remove(clone, socketDir, vmDir);
        }
    }

    private static LabVmStatus status() {
        return LAB.status().get(0);
    }

    private static Path qmp() {
        return Path.of(status().qmp());
    }

    private void assertStoreEmpty() throws Exception {
        try (Stream<Path> left = Files.list(store)) {
            assertEquals(List.of(), left.toList(), "files left in the store");
        }
    }
}
