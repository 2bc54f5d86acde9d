package io.hotsnap.protocol;

import java.util.Objects;

/**
 * A request as it travels: the id its reply echoes, beside the {@link Request} itself. On the wire
 * both share one line, {@code {"v":1,"type":"hold","id":5,"snapshotId":...}} ({@link ProtocolCodec}).
 */
public record Envelope(long id, Request request) implements Message {

    public Envelope {
        Objects.requireNonNull(request, "request");
    }
}
