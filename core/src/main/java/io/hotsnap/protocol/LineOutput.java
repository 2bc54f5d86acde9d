package io.hotsnap.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The writing end of a protocol stream: one whole line per call, flushed, under this object's lock,
 * so lines written from several threads never interleave and none waits in a buffer.
 */
public final class LineOutput {

    private final OutputStream out;

    public LineOutput(OutputStream out) {
        this.out = out;
    }

    public synchronized void writeLine(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // Closing is how we say goodbye; a stream already broken has said it for us.
        }
    }
}
