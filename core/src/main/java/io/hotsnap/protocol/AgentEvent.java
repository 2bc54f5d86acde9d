package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * Something the agent reports without being asked (STOP/RESUME with QEMU's timestamps, hold
 * on/off, progress, ...). Events carry no request id: {@code seq} numbers them in the order the
 * agent wrote them, so the coordinator can tell a gap or a reordering.
 *
 * @param seq            1, 2, 3 ... per agent process; 0 for events the link made itself (LOG lines
 *                       from the agent's stderr), which are not part of the agent's stream
 * @param vm             the VM concerned, or null for the agent as a whole
 * @param hostTimeMicros when it happened, on the agent host's wall clock in µs since the epoch (the
 *                       coordinator maps it with the link's {@link io.hotsnap.coordinator.ClockOffset})
 * @param data           kind-specific details; an empty object when there are none
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonTypeName("event")
public record AgentEvent(long seq, EventKind kind, String vm, long hostTimeMicros, JsonNode data) implements Message {

    public AgentEvent {
        Objects.requireNonNull(kind, "kind");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, got " + seq);
        }
        data = data == null ? JsonNodeFactory.instance.objectNode() : data;
        if (!data.isObject()) {
            throw new IllegalArgumentException("data must be a JSON object, got " + data.getNodeType());
        }
    }
}
