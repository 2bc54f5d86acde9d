package io.hotsnap.lab;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a lab guest's serial log: the {@code tick N} lines its init prints every 100 ms. */
public final class SerialLog {

    private static final Pattern TICK = Pattern.compile("(?m)^tick (\\d+)\\s*$");
    private static final int TAIL_BYTES = 4096;

    private SerialLog() {
    }

    /** The last complete tick in the log, if the guest has printed one yet. */
    public static OptionalLong lastTick(Path log) {
        if (!Files.isRegularFile(log)) {
            return OptionalLong.empty();
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            return lastTickIn(new String(buf, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong lastTickIn(String text) {
        // Only lines ended by a newline: the last one may still be half written.
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return OptionalLong.empty();
        }
        Matcher m = TICK.matcher(text.substring(0, end + 1));
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last < 0 ? OptionalLong.empty() : OptionalLong.of(last);
    }
}
