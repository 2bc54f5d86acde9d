package io.hotsnap.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines ended by {@code \n} (a {@code \r} before it is dropped), none longer than a
 * bound: unlike {@code BufferedReader.readLine}, an endless line cannot make the agent buffer
 * until it runs out of memory.
 */
public final class BoundedLineReader {

    private final InputStream in;
    private final int maxBytes;
    private final byte[] chunk = new byte[8192];
    private int next;
    private int end;

    public BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /**
     * @return the next line without its end, or null once the input has ended
     * @throws ProtocolException coded {@code too-long} for a line over the bound, read up to its end
     *                           and dropped, so the next call reads the line after it
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (true) {
            if (next == end) {
                end = in.read(chunk);
                next = 0;
                if (end < 0) {
                    end = 0;
                    if (tooLong) {
                        throw tooLong();
                    }
                    return line.size() == 0 ? null : text(line);
                }
            }
            int from = next;
            while (next < end && chunk[next] != '\n') {
                next++;
            }
            boolean ended = next < end;
            if (!tooLong && line.size() + (next - from) > maxBytes) {
                tooLong = true;
                line.reset();
            }
            if (!tooLong) {
                line.write(chunk, from, next - from);
            }
            if (ended) {
                next++;
                if (tooLong) {
                    throw tooLong();
                }
                return text(line);
            }
        }
    }

    private ProtocolException tooLong() {
        return new ProtocolException(ProtocolException.TOO_LONG, "request line longer than " + maxBytes + " bytes refused");
    }

    private static String text(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
