package io.hotsnap.qmp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The QMP byte stream: JSON objects in, JSON objects out, over one UNIX socket. Reading is for one
 * thread at a time (the handshake, then the reader thread); writing is serialized by a lock so
 * concurrent commands never interleave their bytes.
 */
final class QmpChannel implements QmpTransport {

    private final ObjectMapper mapper;
    private final SocketChannel socket;
    private final Path path;
    private final Object writeLock = new Object();
    /** Set by {@link #connect}: Jackson reads the first bytes as soon as the parser is created. */
    private JsonParser parser;

    QmpChannel(ObjectMapper mapper, Path path) throws IOException {
        this.mapper = mapper;
        this.path = path;
        this.socket = SocketChannel.open(StandardProtocolFamily.UNIX);
    }

    @Override
    public void connect() throws IOException {
        socket.connect(UnixDomainSocketAddress.of(path));
        // QEMU writes one object per line, but a streaming parser needs no line splitting.
        parser = mapper.getFactory().createParser(Channels.newInputStream(socket));
    }

    @Override
    public ObjectNode read() throws IOException {
        try {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            JsonNode message = mapper.readTree(parser);
            if (!message.isObject()) {
                throw new QmpProtocolException("QMP message is not a JSON object: " + message);
            }
            return (ObjectNode) message;
        } catch (JsonProcessingException e) {
            throw new QmpProtocolException("malformed JSON from QEMU: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void write(ObjectNode message) throws IOException {
        byte[] line = (mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        synchronized (writeLock) {
            // An interrupt during a channel write closes the whole channel (InterruptibleChannel),
            // which would cut every other caller off; the caller's interrupt is kept for later.
            boolean interrupted = Thread.interrupted();
            try {
                while (buffer.hasRemaining()) {
                    socket.write(buffer);
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Closing also wakes a thread blocked in {@link #read()}: it then fails with an IOException. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to release: the descriptor is gone either way.
        }
    }
}
