package io.hotsnap.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sequential write speed of the file system a snapshot store lives on: what a full snapshot's
 * memory image could reach at best. Writes random (incompressible, non-zero) data in 1 MiB blocks
 * through a direct buffer and counts the final fsync in, so the page cache does not flatter it.
 */
public final class FsWriteSpeed {

    public static final int BLOCK = 1 << 20;

    private FsWriteSpeed() {
    }

    /** @return MB/s (10^6 bytes per second) for writing {@code bytes} into a temporary file in {@code dir} */
    public static double measure(Path dir, long bytes) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, ".hotsnap-bench-write-", ".tmp");
        try {
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            byte[] random = new byte[BLOCK];
            ThreadLocalRandom.current().nextBytes(random);
            block.put(random).flip();
            long written = 0;
            long start = System.nanoTime();
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (written < bytes) {
                    block.clear().limit((int) Math.min(BLOCK, bytes - written));
                    while (block.hasRemaining()) {
                        written += out.write(block);
                    }
                }
                out.force(true);
            }
            long nanos = System.nanoTime() - start;
            return throughputMBps(written, nanos / 1e6);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** MB/s (10^6 bytes per second) for {@code bytes} in {@code millis}; 0 if no time passed. */
    public static double throughputMBps(long bytes, double millis) {
        return millis > 0 ? bytes / 1e6 / (millis / 1000.0) : 0.0;
    }
}
