package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.PrivateFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The process that receives one VM's memory stream, detached from the agent that started it
 * ({@code setsid}, its own JVM). A background snapshot must never be cut off: QEMU 7.2 then leaves
 * the guest's memory write-protected and the guest frozen for good (measured: ticks stop, QMP
 * still says "running", a new migration hangs in setup). So the stream's reader must outlive an
 * agent that crashes or is killed mid-copy. Once the stream ends it writes its result next to the
 * image; if its owner died meanwhile, nobody will commit the snapshot, so it removes the part
 * (and the snapshot's directory once empty and without a manifest).
 *
 * A stream is given up only once it stalls (no byte for {@code STALL_MILLIS}, or no connection
 * that long: the owner aborted and could not stop us), never for lasting long.
 *
 * <p>Arguments: {@code SOCKET IMAGE RESULT OWNER_PID STALL_MILLIS}. Prints {@code ready} once listening.
 */
public final class MemorySink {

    private static final ObjectMapper JSON = new ObjectMapper();
    private MemorySink() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: MemorySink SOCKET IMAGE RESULT OWNER_PID STALL_MILLIS");
            System.exit(2);
        }
        protectFromOomKiller();
        Path image = Path.of(args[1]);
        Path result = Path.of(args[2]);
        long owner = Long.parseLong(args[3]);
        Duration stall = Duration.ofMillis(Long.parseLong(args[4]));
        // Everything the end of the stream needs is loaded now: the jar may be replaced (an upgrade,
        // a rebuild) while a long copy runs, and a class missing then would lose the snapshot.
        JSON.writeValueAsBytes(Map.of("file", new SnapshotFile("warm-up", 0, "")));
        new SnapshotStore(image.getParent()).removeIfAbandoned("warm-up-none");
        MemoryReceiver receiver = new MemoryReceiver(Path.of(args[0]), image);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println("ready");
        out.close(); // nothing more goes to the owner: it may be gone by the time we finish
        watchOwner(owner, receiver);
        int code = 0;
        Map<String, Object> outcome;
        try {
            outcome = Map.of("file", receiver.await(stall));
        } catch (IOException e) {
            outcome = Map.of("error", String.valueOf(e.getMessage()));
            code = 1;
        } catch (InterruptedException e) {
            outcome = Map.of("error", "interrupted");
            code = 1;
        }
        if (!ownerAlive(owner)) {
            orphaned(image.getParent());
            System.exit(code);
        }
        if (code != 0) {
            // A failed image is worthless, and on a full disk it is what leaves no room for the result.
            Files.deleteIfExists(image);
            System.err.println("error: " + outcome.get("error"));
        }
        PrivateFiles.writeAtomically(result, JSON.writeValueAsBytes(outcome));
        System.exit(code);
    }

    /**
     * The OOM killer must pick anything but us: a background snapshot cut off mid-copy freezes the
     * guest on QEMU 7.2 (fixed only in 8.1: "migration: stop tracking ram writes when cancelling
     * background migration"), and a receiver is small.
     */
    private static void protectFromOomKiller() {
        try {
            Files.writeString(Path.of("/proc/self/oom_score_adj"), "-1000");
        } catch (IOException | UnsupportedOperationException e) {
            // Not permitted (no CAP_SYS_RESOURCE, as in some containers): the default score stays.
        }
    }

    /** Before the stream starts, an owner that dies takes the snapshot with it: stop waiting. */
    private static void watchOwner(long owner, MemoryReceiver receiver) {
        Thread t = new Thread(() -> {
            while (!receiver.done().isDone()) {
                if (!ownerAlive(owner) && receiver.bytesReceived() == 0) {
                    receiver.close();
                    return;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sink-owner");
        t.setDaemon(true);
        t.start();
    }

    private static boolean ownerAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The snapshot can never be committed now: remove it, unless another live process works on it. */
    private static void orphaned(Path partDir) {
        Path snapshotDir = partDir.getParent();
        boolean removed = new SnapshotStore(snapshotDir.getParent()).removeIfAbandoned(snapshotDir.getFileName().toString());
        System.err.println("hotsnap memory sink: the agent is gone; the uncommitted snapshot " + snapshotDir
                + (removed ? " was removed" : " is left to the next cleanup"));
    }
}
