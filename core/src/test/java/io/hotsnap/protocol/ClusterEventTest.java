package io.hotsnap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.restore.RestorePhase;
import io.hotsnap.snapshot.SnapshotPhase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Phases travel as enums but keep the names agents, recorded report.json files and older consoles use. */
class ClusterEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClusterEvent read(String kind, String phase) throws Exception {
        return JSON.readValue("{\"host\":\"local\",\"seq\":7,\"kind\":\"" + kind + "\",\"vm\":\"lab1\",\"atMicros\":1,"
                + "\"data\":{\"phase\":\"" + phase + "\"}}", ClusterEvent.class);
    }

    @Test
    void snapshotPhasesKeepTheirWireNames() throws Exception {
        assertEquals(List.of("STOP", "RESUME", "transient-done", "full-done"),
                Arrays.stream(SnapshotPhase.values()).map(p -> JSON.valueToTree(Map.of("phase", p)).path("phase").asText()).toList());
        assertEquals(Optional.of(SnapshotPhase.FULL_DONE), read("PROGRESS", "full-done").snapshotPhase());
        assertEquals(Optional.of(SnapshotPhase.TRANSIENT_DONE), read("PROGRESS", "transient-done").snapshotPhase());
    }

    @Test
    void restorePhasesKeepTheirWireNames() throws Exception {
        assertEquals(List.of("loading", "loaded", "barrier", "resumed", "tcp", "discarded"),
                Arrays.stream(RestorePhase.values()).map(p -> JSON.valueToTree(Map.of("phase", p)).path("phase").asText()).toList());
        assertEquals(Optional.of(RestorePhase.LOADED), read("RESTORE", "loaded").restorePhase());
    }

    @Test
    void aPhaseIsReadOnlyFromItsOwnKindAndAnUnknownNameIsNone() throws Exception {
        assertEquals(Optional.empty(), read("RESTORE", "full-done").snapshotPhase());
        assertEquals(Optional.empty(), read("PROGRESS", "loaded").restorePhase());
        assertEquals(Optional.empty(), read("PROGRESS", "from-a-newer-agent").snapshotPhase());
    }

    @Test
    void onlyProgressWithoutAPhaseIsASample() throws Exception {
        assertFalse(read("PROGRESS", "full-done").isProgressSample());
        assertFalse(read("PROGRESS", "from-a-newer-agent").isProgressSample(), "a milestone, even one this build does not know");
        assertTrue(JSON.readValue("{\"host\":\"h\",\"seq\":1,\"kind\":\"PROGRESS\",\"vm\":\"v\",\"atMicros\":1,\"data\":{\"memoryDone\":5}}",
                ClusterEvent.class).isProgressSample());
    }

    @Test
    void anEventIsWrittenWithItsSixFieldsOnly() throws Exception {
        Set<String> fields = new TreeSet<>();
        JSON.valueToTree(read("PROGRESS", "full-done")).fieldNames().forEachRemaining(fields::add);

        assertEquals(Set.of("host", "seq", "kind", "vm", "atMicros", "data"), fields);
    }
}
