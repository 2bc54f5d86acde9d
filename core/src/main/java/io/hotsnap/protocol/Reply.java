package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The agent's answer to one {@link Request}: exactly one per request, with the request's id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Reply.Ok.class, name = "ok"), @JsonSubTypes.Type(value = Reply.Error.class, name = "error")})
public sealed interface Reply extends Message {

    /** The id of the request answered; null only for an error about a line whose id was unreadable. */
    Long id();

    /** Success; {@code result} is a JSON object (empty when the request has nothing to return). */
    record Ok(Long id, JsonNode result) implements Reply {
        public Ok {
            if (id == null) {
                throw new IllegalArgumentException("an ok reply needs the id of its request");
            }
            result = result == null ? JsonNodeFactory.instance.objectNode() : result;
            if (!result.isObject()) {
                throw new IllegalArgumentException("result must be a JSON object, got " + result.getNodeType());
            }
        }
    }

    /**
     * Failure: a stable {@code code} (see {@link ProtocolException}'s constants) and a one-line
     * {@code message} for people; newlines are folded so one reply stays one line in any log view.
     */
    record Error(Long id, String code, String message) implements Reply {
        public Error {
            if (code == null || code.isBlank()) {
                throw new IllegalArgumentException("an error reply needs a code");
            }
            message = message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " / ");
        }
    }
}
