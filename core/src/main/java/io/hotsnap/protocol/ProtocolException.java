package io.hotsnap.protocol;

/**
 * Root of every failure of the agent protocol, on both ends. {@link #code()} is the stable,
 * machine-readable reason that also travels in an {@code error} reply, so a failure raised in the
 * agent reaches the coordinator with the same code.
 */
public class ProtocolException extends RuntimeException {

    /** The line is not a JSON object (or not JSON at all). */
    public static final String MALFORMED = "malformed";
    /** The line has no {@code "v"}, or one this side does not speak. */
    public static final String VERSION = "version";
    /** The {@code "type"} names no message this side knows. */
    public static final String UNKNOWN_TYPE = "unknown-type";
    /** The line is longer than the agent reads ({@link io.hotsnap.settings.AgentBounds#MAX_REQUEST_LINE_BYTES}). */
    public static final String TOO_LONG = "too-long";
    /** A known type with missing, extra or ill-typed fields. */
    public static final String BAD_REQUEST = "bad-request";
    /** A valid request this agent cannot serve (yet): see {@code hello}'s capabilities. */
    public static final String UNSUPPORTED = "unsupported";
    /** Too many requests already in progress. */
    public static final String BUSY = "busy";
    /** The handler failed; the message says why. */
    public static final String FAILED = "failed";
    /** No reply within the caller's timeout. */
    public static final String TIMEOUT = "timeout";
    /** The link to the agent ended (closed, agent exited, stream broken) before a reply came. */
    public static final String LINK_LOST = "link-lost";

    private final String code;
    private final Long requestId;

    public ProtocolException(String code, String message) {
        this(code, message, null, null);
    }

    /** @param requestId the id of the request this concerns, when it could be read; null otherwise */
    public ProtocolException(String code, String message, Long requestId) {
        this(code, message, requestId, null);
    }

    public ProtocolException(String code, String message, Long requestId, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.requestId = requestId;
    }

    static ProtocolException unsupported(String type) {
        return new ProtocolException(UNSUPPORTED, "'" + type + "' is not supported by this agent yet");
    }

    public String code() {
        return code;
    }

    /** The id of the request this concerns, or null when none could be read. */
    public Long requestId() {
        return requestId;
    }
}
