package io.hotsnap.qmp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Deadlines;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * A QMP socket shared with another manager's tools (Proxmox's {@code qm} and {@code pvestatd} use
 * the same one). QEMU serves one client at a time and leaves the next one waiting without a
 * greeting, so each attempt is short and the connection is tried again, a few times, until it
 * greets us: busy for a moment is normal, busy for {@code patience} is an error.
 */
public final class PatientSocketTransport implements QmpTransport {


    private final ObjectMapper mapper;
    private final Path socket;
    private final Duration patience;
    private volatile QmpChannel channel;
    private volatile boolean closed;
    private ObjectNode greeting;

    public PatientSocketTransport(ObjectMapper mapper, Path socket, Duration patience) {
        this.mapper = mapper;
        this.socket = socket;
        this.patience = patience;
    }

    @Override
    public void connect() throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        IOException last = null;
        while (!closed) {
            QmpChannel attempt = new QmpChannel(mapper, socket);
            channel = attempt;
            ScheduledFuture<?> cutOff = Deadlines.after(Waits.SOCKET_ATTEMPT, attempt::close);
            try {
                attempt.connect();
                ObjectNode first = attempt.read();
                if (cutOff.cancel(false) && first != null) {
                    greeting = first;
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            cutOff.cancel(false);
            attempt.close();
            if (System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(Waits.SOCKET_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + socket);
            }
        }
        throw new IOException("busy or not answering for " + patience.toMillis() + " ms (another client may hold it)"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    @Override
    public ObjectNode read() throws IOException {
        ObjectNode first = greeting;
        if (first != null) {
            greeting = null;
            return first;
        }
        return channel.read();
    }

    @Override
    public void write(ObjectNode message) throws IOException {
        channel.write(message);
    }

    @Override
    public void close() {
        closed = true;
        QmpChannel open = channel;
        if (open != null) {
            open.close();
        }
    }
}
