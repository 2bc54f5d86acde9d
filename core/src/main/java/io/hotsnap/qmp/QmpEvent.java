package io.hotsnap.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One asynchronous QMP event.
 *
 * @param name            QAPI event name, e.g. "STOP"
 * @param data            the event's {@code data} member; an empty object when QEMU sent none.
 *                        Every subscriber gets the same instance: read it, do not modify it
 * @param timestampMicros when QEMU emitted it, host wall clock in µs since the epoch (QEMU's
 *                        {@code timestamp.seconds * 1_000_000 + timestamp.microseconds}), the same
 *                        clock as {@code System.currentTimeMillis() * 1000} and tcpdump
 */
public record QmpEvent(String name, JsonNode data, long timestampMicros) {

    /** The guest stopped (QEMU's run state left running): a snapshot point when we asked for it. */
    public static final String STOP = "STOP";
    /** The guest runs again. */
    public static final String RESUME = "RESUME";

    /** Whether this is the event named {@code eventName}. */
    public boolean is(String eventName) {
        return name.equals(eventName);
    }

    /**
     * The data read into one of the engine's QAPI records ({@link BlockJobEvent}, {@link MigrationEvent});
     * members the record does not name are ignored.
     *
     * @throws QmpProtocolException if the data does not fit the record
     */
    public <T> T dataAs(Class<T> type) {
        try {
            return QmpJson.READER.treeToValue(data, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new QmpProtocolException("the data of " + name + " is not a " + type.getSimpleName() + ": " + data, e);
        }
    }

    static QmpEvent fromMessage(JsonNode message) {
        JsonNode timestamp = message.path("timestamp");
        if (!message.path("event").isTextual()
                || !timestamp.path("seconds").canConvertToLong()
                || !timestamp.path("microseconds").canConvertToLong()) {
            throw new QmpProtocolException("malformed QMP event: " + message);
        }
        JsonNode data = message.has("data") ? message.get("data") : JsonNodeFactory.instance.objectNode();
        long micros = timestamp.get("seconds").longValue() * 1_000_000L + timestamp.get("microseconds").longValue();
        return new QmpEvent(message.get("event").textValue(), data, micros);
    }
}
