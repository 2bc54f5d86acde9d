package io.hotsnap.qmp;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.util.List;
import java.util.Objects;

/**
 * One QMP command as the engine sends it: its QAPI name, its arguments (null, or a record or map
 * Jackson turns into a JSON object) and the type its {@code return} value is read into. The
 * commands themselves are made by {@link QmpCommands}.
 *
 * @param <R> the reply; {@link Void} for a command whose {@code return} is an empty object
 */
public record QmpCommand<R>(String name, Object arguments, JavaType reply) {

    public QmpCommand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reply, "reply");
    }

    /** A command answered with one {@code reply}. */
    public static <R> QmpCommand<R> of(String name, Object arguments, Class<R> reply) {
        return new QmpCommand<>(name, arguments, TypeFactory.defaultInstance().constructType(reply));
    }

    /** A command answered with a list of {@code element}. */
    public static <R> QmpCommand<List<R>> listOf(String name, Object arguments, Class<R> element) {
        return new QmpCommand<>(name, arguments, TypeFactory.defaultInstance().constructCollectionType(List.class, element));
    }

    /** A command whose reply says nothing but that it was done. */
    public static QmpCommand<Void> done(String name, Object arguments) {
        return of(name, arguments, Void.class);
    }

    /** QEMU's {@code return} value read into {@link #reply()}: members this type does not name are ignored. */
    R decode(ObjectMapper mapper, JsonNode returned) {
        if (reply.hasRawClass(Void.class)) {
            return null;
        }
        try {
            return mapper.convertValue(returned, reply);
        } catch (IllegalArgumentException e) {
            throw new QmpProtocolException("the reply to '" + name + "' is not a " + reply.toCanonical() + ": " + returned, e);
        }
    }
}
