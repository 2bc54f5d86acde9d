package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hotsnap.restore.RestorePhase;
import io.hotsnap.snapshot.SnapshotPhase;
import java.util.Optional;

/**
 * One event of a cluster snapshot as the coordinator publishes it: an agent's event with its
 * timestamp mapped to the coordinator's clock, so events of different hosts can be compared; or
 * one of the coordinator's own ({@link #COORDINATOR} as host, no VM).
 *
 * @param atMicros coordinator wall clock, µs since the epoch
 */
public record ClusterEvent(String host, long seq, EventKind kind, String vm, long atMicros, JsonNode data) {

    /** The host of the coordinator's own events: no agent's host name is empty. */
    public static final String COORDINATOR = "";

    /** Every agent has committed the global manifest: from {@code atMicros} on, the snapshot exists. */
    public static ClusterEvent committed(String id, double commitMs, long atMicros) {
        // seq 1: the first and only event of the coordinator's own stream.
        return new ClusterEvent(COORDINATOR, 1, EventKind.COMMITTED, null, atMicros,
                JsonNodeFactory.instance.objectNode().put("id", id).put("commitMs", commitMs));
    }

    /** A PROGRESS milestone's phase ({@code data.phase}); empty for any other event or a name this build does not know. */
    @JsonIgnore
    public Optional<SnapshotPhase> snapshotPhase() {
        return kind == EventKind.PROGRESS && data != null && data.has("phase")
                ? SnapshotPhase.ofWireName(data.path("phase").asText()) : Optional.empty();
    }

    /** A RESTORE event's phase ({@code data.phase}); empty for any other event or a name this build does not know. */
    @JsonIgnore
    public Optional<RestorePhase> restorePhase() {
        return kind == EventKind.RESTORE && data != null && data.has("phase")
                ? RestorePhase.ofWireName(data.path("phase").asText()) : Optional.empty();
    }

    /** A PROGRESS sample of the copy (bytes so far, rate), not a milestone: these may be thinned. */
    @JsonIgnore
    public boolean isProgressSample() {
        return kind == EventKind.PROGRESS && (data == null || !data.has("phase"));
    }
}
