package io.hotsnap.snapshot;

import io.hotsnap.host.PrivateFiles;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives QEMU's migration stream on a UNIX socket the engine listens on and writes it to the
 * memory image (0600), hashing as it goes. A socket rather than {@code exec:}, because a QEMU under
 * libvirt's seccomp sandbox is killed when it spawns a process.
 */
final class MemoryReceiver implements AutoCloseable {

    private static final int CHUNK = 1 << 20;

    private final Path socket;
    private final Path image;
    private final ServerSocketChannel server;
    private final AtomicLong received = new AtomicLong();
    /** {@link System#nanoTime()} of the last byte (of the start, before the first). */
    private volatile long lastByteAt = System.nanoTime();
    private final CompletableFuture<SnapshotFile> done = new CompletableFuture<>();

    MemoryReceiver(Path socket, Path image) throws IOException {
        this.socket = socket;
        this.image = image;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        PrivateFiles.createFile(image);
        Thread t = new Thread(this::receive, "memory-receiver-" + image.getParent().getFileName());
        t.setDaemon(true);
        t.start();
    }

    /** The URI to give QEMU's {@code migrate}. */
    String uri() {
        return "unix:" + socket;
    }

    long bytesReceived() {
        return received.get();
    }

    /** Completes when QEMU closed the stream and the image is synced to disk. */
    CompletableFuture<SnapshotFile> done() {
        return done;
    }

    /**
     * The image once QEMU has closed the stream, however long a slow store makes that take, as long
     * as bytes keep coming: cutting a stream off freezes the guest (see {@link MemorySink}). Gives up
     * only once no byte (nor, at the start, QEMU's connection) came for {@code stall}.
     */
    SnapshotFile await(Duration stall) throws IOException, InterruptedException {
        while (true) {
            long left = stall.toNanos() - (System.nanoTime() - lastByteAt);
            if (left <= 0) {
                close();
                throw new IOException("the memory stream stalled: no byte for " + stall.toMillis() / 1000.0 + " s after "
                        + received.get() + " bytes");
            }
            try {
                return done.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // bytes may have come meanwhile: look again
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private void receive() {
        try (SocketChannel in = server.accept();
             FileChannel out = FileChannel.open(image, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
            byte[] copy = new byte[CHUNK];
            IOException writeFailed = null;
            while (in.read(buf) >= 0) {
                buf.flip();
                int n = buf.remaining();
                buf.get(copy, 0, n);
                received.addAndGet(n);
                lastByteAt = System.nanoTime();
                buf.clear();
                if (writeFailed != null) {
                    continue;
                }
                try {
                    sha.update(copy, 0, n);
                    out.write(ByteBuffer.wrap(copy, 0, n));
                } catch (IOException e) {
                    // Keep reading to the end: a background snapshot cut off mid-stream leaves the
                    // guest's memory write-protected in QEMU 7.2 (frozen guest, or a deadlock).
                    writeFailed = e;
                }
            }
            if (writeFailed != null) {
                throw writeFailed;
            }
            out.force(true);
            done.complete(new SnapshotFile(image.getFileName().toString(), received.get(), HexFormat.of().formatHex(sha.digest())));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            done.completeExceptionally(e);
        } finally {
            closeServer();
        }
    }

    private void closeServer() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the socket file lives in the snapshot directory, which an abort removes anyway
        }
    }

    /** Stops waiting for QEMU (an abort): the receive thread ends and {@link #done()} fails. */
    @Override
    public void close() {
        closeServer();
        done.completeExceptionally(new IOException("memory stream closed before completion"));
    }
}
