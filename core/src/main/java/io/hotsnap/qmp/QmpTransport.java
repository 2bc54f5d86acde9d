package io.hotsnap.qmp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * How QMP messages reach one QEMU: a monitor socket, or a VM manager's pass-through (libvirt).
 * {@link QmpClient} speaks QMP over it and needs only this much: the greeting and replies (each
 * with the {@code id} of its command) and events come out of {@link #read()}, commands go into
 * {@link #write}. Reading is for one thread at a time; writing may come from several at once.
 */
public interface QmpTransport extends AutoCloseable {

    /** Makes a transport, not yet connected. */
    @FunctionalInterface
    interface Factory {
        QmpTransport create(ObjectMapper mapper) throws IOException;
    }

    /** Opens the connection; may block, until {@link #close()} is called from another thread. */
    void connect() throws IOException;

    /** The next message, or null once the other side closed the connection. */
    ObjectNode read() throws IOException;

    void write(ObjectNode message) throws IOException;

    /** Also wakes a thread blocked in {@link #read()} or {@link #connect()}. Calling it again does nothing. */
    @Override
    void close();
}
