package io.hotsnap.testing;

import static org.awaitility.Awaitility.await;

import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A committed snapshot with one disk copy, and a real process other than this JVM holding that
 * copy open as a VM's QEMU holds its backing file: what delete must not pull from under it.
 */
public record SnapshotInUse(Manifest manifest, Path diskCopy, Process holder) implements AutoCloseable {

    public static SnapshotInUse in(SnapshotStore store, String id) throws IOException {
        Files.createDirectories(store.partDir(id, "vm1"));
        Path copy = store.partDir(id, "vm1").resolve("disk0.qcow2");
        Files.writeString(copy, "disk");
        Manifest m = new Manifest(Manifest.VERSION, id, "h1", 1_000, "hotsnap", "copy", Manifest.COMMITTED, List.of());
        store.commit(m);
        Process holder = new ProcessBuilder("sh", "-c", "exec 3<\"$1\"; exec sleep 60", "sh", copy.toString()).start();
        SnapshotInUse inUse = new SnapshotInUse(m, copy, holder);
        inUse.awaitOpen();
        return inUse;
    }

    /** The holder's shell opens the file a moment after it starts. */
    private void awaitOpen() throws IOException {
        Path fd = Path.of("/proc", Long.toString(holder.pid()), "fd", "3");
        try {
            // IOException: not yet opened.
            await("the holder opens " + diskCopy).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> Files.readSymbolicLink(fd).equals(diskCopy));
        } catch (ConditionTimeoutException e) {
            close();
            throw new IOException("the holder never opened " + diskCopy, e);
        }
    }

    @Override
    public void close() {
        holder.destroyForcibly();
        try {
            holder.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
