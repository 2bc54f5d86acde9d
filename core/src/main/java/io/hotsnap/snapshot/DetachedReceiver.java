package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.settings.StreamLimits;
import io.hotsnap.settings.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import io.hotsnap.host.ProcessState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This side of a {@link MemorySink}: starts it in its own session (so that neither a signal to our
 * process group nor our death reaches it), waits until it listens, and reports its outcome. While
 * we live, we can stop it; once the stream runs, it finishes by itself whatever happens to us.
 */
final class DetachedReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DetachedReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long READY_SECONDS = 60;

    private final Path socket;
    private final Path image;
    private final Path result;
    private final Process process;
    private final CompletableFuture<SnapshotFile> done = new CompletableFuture<>();
    /** The receiver's own word on a failure, should it not manage to write its result. */
    private volatile String lastError;
    private final Thread stderrPump;

    DetachedReceiver(Path socket, Path image) throws IOException {
        this.socket = socket;
        this.image = image;
        this.result = image.resolveSibling(image.getFileName() + ".result");
        Files.deleteIfExists(result);
        process = new ProcessBuilder(command(socket, image, result))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        stderrPump = pumpStderr();
        awaitReady();
        process.onExit().thenRun(this::finished);
        keepRunning();
    }

    private static List<String> command(Path socket, Path image, Path result) {
        List<String> c = new ArrayList<>(List.of("setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small and quick to start: it only copies a stream to a file.
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), MemorySink.class.getName()));
        c.addAll(List.of(socket.toString(), image.toString(), result.toString(), Long.toString(ProcessHandle.current().pid()),
                Long.toString(StreamLimits.defaults().memoryStall().toMillis())));
        return c;
    }

    private void awaitReady() throws IOException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String ready;
        try {
            ready = line.get(READY_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("the memory receiver did not start within " + READY_SECONDS + " s");
        }
        if (!"ready".equals(ready)) {
            process.destroyForcibly();
            throw new IOException("the memory receiver failed to start (see the agent log)");
        }
    }

    private Thread pumpStderr() {
        Thread t = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = err.readLine()) != null) {
                    LOG.warn("memory receiver {}: {}", image.getParent().getFileName(), l);
                    if (l.startsWith("error: ")) {
                        lastError = l.substring("error: ".length());
                    }
                }
            } catch (IOException ignored) {
                // it outlives us or died: nothing more to say
            }
        }, "memory-sink-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void finished() {
        try {
            stderrPump.join(1000); // its last line may be the reason
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            JsonNode outcome = JSON.readTree(result.toFile());
            Files.deleteIfExists(result);
            if (outcome.has("file")) {
                done.complete(JSON.treeToValue(outcome.get("file"), SnapshotFile.class));
            } else {
                done.completeExceptionally(new IOException(outcome.path("error").asText("memory stream failed")));
            }
        } catch (IOException e) {
            done.completeExceptionally(new IOException(lastError != null ? lastError
                    : "the memory receiver ended (exit " + process.exitValue() + ") without a result"));
        }
    }

    /** Where it listens. */
    Path socket() {
        return socket;
    }

    /** The URI to give QEMU's {@code migrate}. */
    String uri() {
        return "unix:" + socket;
    }

    /** Bytes written so far: the image's size (the sink is another process). */
    long bytesReceived() {
        try {
            return Files.size(image);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A receiver someone stopped ({@code kill -STOP}, a debugger's attach) is continued at once,
     * for as long as it runs: while it reads nothing, QEMU's migration thread blocks on the stream,
     * every guest write to a page not yet copied waits for it, and QEMU stops answering QMP
     * ({@code query-migrate} hangs), so the guest stands still although it is "running". Cutting
     * the stream instead would freeze it for good (see {@link MemorySink}). A thread of its own,
     * because the QMP side cannot see it.
     */
    private void keepRunning() {
        Thread t = new Thread(() -> {
            while (process.isAlive()) {
                if (ProcessState.stopped(process.pid())) {
                    LOG.warn("memory receiver {} (pid {}) was stopped while QEMU's copy waits for it: continuing it",
                            image.getParent().getFileName(), process.pid());
                    ProcessState.signal(process.pid(), "CONT");
                }
                try {
                    Thread.sleep(Waits.RECEIVER_STOPPED_CHECK.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sink-keepalive");
        t.setDaemon(true);
        t.start();
    }

    /** Completes when QEMU closed the stream and the image is synced to disk. */
    CompletableFuture<SnapshotFile> done() {
        return done;
    }

    /**
     * Stops the receiver (an abort). Called only once the migration has ended (a background
     * snapshot is drained first), so nothing is cut off.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
        }
        done.completeExceptionally(new IOException("memory stream closed before completion"));
    }
}
