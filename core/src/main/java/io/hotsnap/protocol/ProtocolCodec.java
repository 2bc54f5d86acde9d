package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.AnnotatedClassResolver;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Messages to and from single lines of JSON: {@code {"v":1,"type":"...",...}}. Decoding is strict
 * (unknown fields, missing ids, trailing garbage are errors): a line that is only half understood
 * must change nothing on an agent. Every failure is a {@link ProtocolException} whose code and
 * one-line message can go straight into an {@code error} reply, with the request's id when it could
 * be read.
 */
public final class ProtocolCodec {

    /** The protocol version this build speaks; {@code "v"} of every line. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** Wire name of every message type, from the Jackson type names on {@link Request}, {@link Reply} and {@link AgentEvent}. */
    private static final Map<String, Class<?>> TYPES = types(Request.class, Reply.class, AgentEvent.class);
    private static final Map<Class<?>, String> NAMES = Collections.unmodifiableMap(
            TYPES.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey)));

    private static final Pattern JACKSON_HINT = Pattern.compile("\\s*\\((set |but could |through reference|start marker at).*$");

    private ProtocolCodec() {
    }

    private static Map<String, Class<?>> types(Class<?>... roots) {
        DeserializationConfig config = MAPPER.getDeserializationConfig();
        Map<String, Class<?>> t = new LinkedHashMap<>();
        for (Class<?> root : roots) {
            AnnotatedClass annotated = AnnotatedClassResolver.resolveWithoutSuperTypes(config, root);
            for (NamedType named : MAPPER.getSubtypeResolver().collectAndResolveSubtypesByTypeId(config, annotated)) {
                if (!named.getType().isInterface()) {
                    t.put(named.getName(), named.getType());
                }
            }
        }
        return Collections.unmodifiableMap(t);
    }

    /** The wire name of {@code message}'s type, e.g. "hello" (a request's for its envelope). */
    public static String typeOf(Message message) {
        return NAMES.get(message instanceof Envelope e ? e.request().getClass() : message.getClass());
    }

    /** The wire name of {@code request}'s type, e.g. "hello". */
    public static String typeOf(Request request) {
        return typeOf(request.getClass());
    }

    /** The wire name of a request type, e.g. "hello". */
    public static String typeOf(Class<? extends Request> type) {
        return NAMES.get(type);
    }

    /** One line of JSON, without the line break (Jackson escapes any inside strings). */
    public static String encode(Message message) {
        // Jackson writes "type" first; "v" leads, and a request's id follows its type.
        ObjectNode line = MAPPER.createObjectNode().put("v", VERSION);
        if (message instanceof Envelope envelope) {
            ObjectNode request = MAPPER.valueToTree(envelope.request());
            line.set("type", request.remove("type"));
            line.put("id", envelope.id());
            line.setAll(request);
        } else {
            line.setAll((ObjectNode) MAPPER.valueToTree(message));
        }
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + typeOf(message) + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The message in {@code line}.
     *
     * @throws ProtocolException with code {@code malformed}, {@code version}, {@code unknown-type} or
     *                           {@code bad-request}, and the line's id when it had a readable one
     */
    public static Message decode(String line) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ProtocolException.MALFORMED, "not JSON: " + describe(e), null, e);
        }
        if (tree == null || !tree.isObject()) {
            String got = tree == null || tree.isMissingNode() ? "nothing" : tree.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw new ProtocolException(ProtocolException.MALFORMED, "a message is a JSON object, got " + got);
        }
        ObjectNode fields = (ObjectNode) tree;
        Long id = readId(fields);
        checkVersion(fields.remove("v"), id);
        JsonNode typeNode = fields.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ProtocolException(ProtocolException.MALFORMED, "missing \"type\" (a string)", id);
        }
        String type = typeNode.textValue();
        Class<?> target = TYPES.get(type);
        if (target == null) {
            throw new ProtocolException(ProtocolException.UNKNOWN_TYPE,
                    "unknown type '" + type + "' (known: " + String.join(", ", TYPES.keySet()) + ")", id);
        }
        if (id == null && (Request.class.isAssignableFrom(target) || target == Reply.Ok.class)) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "'" + type + "' needs an integer \"id\"");
        }
        boolean request = Request.class.isAssignableFrom(target);
        if (request) {
            // The id is the envelope's, not the request record's.
            fields.remove("id");
        }
        try {
            Object decoded = MAPPER.treeToValue(fields, target);
            return request ? new Envelope(id, (Request) decoded) : (Message) decoded;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String missing = missingField(e, fields);
            String why = missing != null ? "missing field '" + missing + "'" : describe(e);
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "bad '" + type + "': " + why, id, e);
        }
    }

    /**
     * A handler's return value as an {@code ok} result: null becomes {@code {}}; anything else must
     * serialise to a JSON object, so that results can grow fields without breaking readers.
     */
    public static JsonNode toObject(Object value) {
        if (value == null) {
            return MAPPER.createObjectNode();
        }
        JsonNode json = value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
        if (!json.isObject()) {
            throw new IllegalArgumentException("expected something that serialises to a JSON object, got " + json.getNodeType());
        }
        return json;
    }

    /**
     * The result of an {@code ok} reply as {@code type}.
     *
     * @throws ProtocolException the agent's own code and message for an {@code error} reply;
     *                           {@code malformed} when the result does not fit {@code type}
     */
    public static <T> T resultAs(Reply reply, Class<T> type) {
        if (reply instanceof Reply.Error error) {
            throw new ProtocolException(error.code(), error.message(), error.id());
        }
        Reply.Ok ok = (Reply.Ok) reply;
        try {
            return MAPPER.treeToValue(ok.result(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProtocolException(ProtocolException.MALFORMED,
                    "result of request " + ok.id() + " is not a " + type.getSimpleName() + ": " + describe(e), ok.id(), e);
        }
    }

    private static Long readId(ObjectNode fields) {
        JsonNode id = fields.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isIntegralNumber() || !id.canConvertToLong()) {
            throw new ProtocolException(ProtocolException.BAD_REQUEST, "\"id\" must be an integer, got " + id);
        }
        return id.longValue();
    }

    private static void checkVersion(JsonNode v, Long id) {
        if (v == null) {
            throw new ProtocolException(ProtocolException.VERSION,
                    "missing \"v\" (protocol version; this side speaks " + VERSION + ")", id);
        }
        if (!v.isInt() || v.intValue() != VERSION) {
            throw new ProtocolException(ProtocolException.VERSION,
                    "protocol version " + v + " not supported (this side speaks " + VERSION + ")", id);
        }
    }

    /** The field Jackson failed on when the line simply lacks it (Jackson reports that as a null). */
    private static String missingField(Exception e, ObjectNode fields) {
        if (e instanceof JsonMappingException m && m.getPath().size() == 1) {
            String field = m.getPath().get(0).getFieldName();
            return field != null && !fields.has(field) ? field : null;
        }
        return null;
    }

    /** Jackson's reason, without its source excerpt and class names: the field, and what was wrong. */
    private static String describe(Exception e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "' (known: "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            // A record's constructor refused the values: its message names the field.
            return v.getCause().getMessage();
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "field '" + path(m) + "': " + firstLine(m.getOriginalMessage());
        }
        if (e instanceof JsonProcessingException p) {
            String where = p.getLocation() == null ? "" : " (column " + p.getLocation().getColumnNr() + ")";
            return firstLine(p.getOriginalMessage()) + where;
        }
        return firstLine(e.getMessage());
    }

    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The first line, without Jackson's advice on configuring Jackson, which is for us, not for the peer. */
    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return JACKSON_HINT.matcher(line).replaceFirst("").strip();
    }
}
