package io.hotsnap.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.agent.Agent;
import io.hotsnap.agent.AgentEventSink;
import io.hotsnap.host.HostClock;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.PingResult;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.VmPart;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordinator against a scripted agent in this JVM (no QEMU): the COMMITTED event, the record
 * it leaves on the agent, and a refused record that costs the record only.
 */
@Timeout(60)
class CoordinatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VMS = List.of("vm1", "vm2");
    private static final int SAMPLES = 20;

    private ScriptedAgent agent;
    private StreamAgentLink link;
    private final List<ClusterEvent> published = new CopyOnWriteArrayList<>();

    /** Answers every phase at once, with each VM's events in a real agent's order; keeps what it is asked to record. */
    private static final class ScriptedAgent implements AgentHandler {
        final List<Request> requests = new CopyOnWriteArrayList<>();
        volatile boolean refuseRecord;
        AgentEventSink sink;

        @Override
        public void addRoutes(RequestRoutes routes) {
            routes.on(Request.Hello.class, this::hello)
                    .on(Request.Ping.class, this::ping)
                    .on(Request.Prepare.class, this::prepare)
                    .on(Request.Hold.class, this::hold)
                    .on(Request.Snapshot.class, this::snapshot)
                    .on(Request.Commit.class, this::commit)
                    .on(Request.Record.class, this::record)
                    .on(Request.Abort.class, this::abort);
        }

        Object hello(Request.Hello request) {
            return new HelloResult(1, List.of("hello", "ping", "mode:hold"), List.of(), "scripted", HostClock.wallMicros());
        }

        Object ping(Request.Ping request) {
            return new PingResult(HostClock.wallMicros());
        }

        Object prepare(Request.Prepare request) {
            requests.add(request);
            return null;
        }

        Object hold(Request.Hold request) {
            VMS.forEach(vm -> sink.emit(EventKind.HOLD_ON, vm, HostClock.wallMicros(), null));
            return null;
        }

        Object snapshot(Request.Snapshot request) {
            for (String vm : VMS) {
                long stop = HostClock.wallMicros();
                sink.emit(EventKind.STOP, vm, stop, null);
                sink.emit(EventKind.RESUME, vm, stop + 3_000, null);
                sink.emit(EventKind.HOLD_OFF, vm, stop + 3_100, null);
                // A burst of samples within a few ms: the record keeps the first.
                IntStream.range(0, SAMPLES).forEach(i -> sink.emit(EventKind.PROGRESS, vm, stop + 4_000 + i,
                        Map.of("memoryDone", i, "memoryTotal", SAMPLES, "bytesPerSecond", 1)));
                VmPart part = new VmPart(vm, "7.2.22", List.of("qemu-system-x86_64"), "/run/" + vm + ".qmp", 256L << 20,
                        new SnapshotFile("memory.img", 1, "00"), List.of(), stop, stop + 3_000, stop + 2_000, stop + 9_000,
                        "6.1.0-test", null);
                sink.emit(EventKind.DONE, vm, stop + 9_000, Map.of("part", part));
            }
            return null;
        }

        Object commit(Request.Commit request) {
            requests.add(request);
            return null;
        }

        Object record(Request.Record request) {
            requests.add(request);
            if (refuseRecord) {
                throw new ProtocolException(ProtocolException.BAD_REQUEST, "no committed snapshot " + request.snapshotId());
            }
            return null;
        }

        Object abort(Request.Abort request) {
            requests.add(request);
            return null;
        }

        @Override
        public void coordinatorLost() {
        }

        <T extends Request> List<T> received(Class<T> type) {
            return requests.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @BeforeEach
    void startAgent() throws IOException {
        agent = new ScriptedAgent();
        Pipe toAgent = Pipe.open();
        Pipe fromAgent = Pipe.open();
        Agent server = new Agent(Channels.newInputStream(toAgent.source()), Channels.newOutputStream(fromAgent.sink()), sink -> {
            agent.sink = sink;
            return agent;
        });
        Thread serving = new Thread(server::run, "scripted-agent");
        serving.setDaemon(true);
        serving.start();
        link = StreamAgentLink.open("scripted", Channels.newInputStream(fromAgent.source()), Channels.newOutputStream(toAgent.sink()),
                () -> "");
    }

    @AfterEach
    void closeLink() {
        link.close();
    }

    private Coordinator coordinator() {
        return new Coordinator(List.of(new ClusterTarget(link, VMS)), ClusterOptions.defaults().withMode(ClusterMode.HOLD).withCapture(false), published::add);
    }

    @Test
    void committedIsPublishedOnceAfterEveryVmsDone() {
        ClusterResult result = coordinator().snapshot();

        List<EventKind> kinds = published.stream().map(ClusterEvent::kind).toList();
        int committedAt = kinds.indexOf(EventKind.COMMITTED);
        assertTrue(committedAt >= 0, "no COMMITTED: " + kinds);
        assertEquals(committedAt, kinds.lastIndexOf(EventKind.COMMITTED), "one COMMITTED: " + kinds);
        assertEquals(VMS.size(), kinds.subList(0, committedAt).stream().filter(k -> k == EventKind.DONE).count(), kinds.toString());
        ClusterEvent committed = published.get(committedAt);
        assertEquals(ClusterEvent.COORDINATOR, committed.host());
        assertNull(committed.vm());
        assertEquals(result.id(), committed.data().path("id").asText());
        assertEquals(result.commitMs(), committed.data().path("commitMs").asDouble());
        // The coordinator's own event is no VM's: the figures come from the VMs' events alone.
        assertEquals(VMS, result.vms().stream().map(VmResult::name).toList());
        assertTrue(result.vms().stream().allMatch(vm -> vm.downtimeMs() == 3.0), result.toString());
    }

    @Test
    void recordOnTheAgentHoldsTheResultAndEveryEventWithProgressThinned() throws Exception {
        Coordinator coordinator = coordinator();
        ClusterResult result = coordinator.snapshot();

        List<Request.Record> records = agent.received(Request.Record.class);
        assertEquals(1, records.size());
        assertEquals(result.id(), records.get(0).snapshotId());
        SnapshotRecord kept = JSON.treeToValue(records.get(0).record(), SnapshotRecord.class);
        assertEquals(coordinator.record().orElseThrow(), kept);
        assertEquals(result, kept.result());
        assertEquals(published.stream().filter(e -> e.kind() != EventKind.PROGRESS).toList(),
                kept.events().stream().filter(e -> e.kind() != EventKind.PROGRESS).toList());
        assertEquals(VMS.size(), kept.events().stream().filter(e -> e.kind() == EventKind.PROGRESS).count(), kept.events().toString());
    }

    @Test
    void refusedRecordCostsTheRecordOnly() {
        agent.refuseRecord = true;
        Coordinator coordinator = coordinator();

        ClusterResult result = coordinator.snapshot();

        assertEquals("committed", result.status());
        assertEquals(1, agent.received(Request.Record.class).size());
        assertEquals(List.of(), agent.received(Request.Abort.class));
        assertEquals(result, coordinator.record().orElseThrow().result());
    }
}
