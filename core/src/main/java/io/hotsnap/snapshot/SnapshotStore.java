package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hotsnap.host.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where snapshots live: {@code STORE/ID/manifest.json}, one directory per VM with its memory
 * image, disk copies and {@code part.json}, and for a cluster snapshot {@code report.json}. Only
 * directories with a committed manifest count.
 */
public final class SnapshotStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    public static final String MANIFEST = "manifest.json";
    public static final String PART = "part.json";
    /** A cluster snapshot's figures and events, written after its commit (the cluster package's {@code SnapshotRecord}). */
    public static final String REPORT = "report.json";
    /** Lock files are {@code .lock-<random>}: one per engine working on the snapshot (hosts may share a store). */
    private static final String LOCK = ".lock-";
    private static final java.time.Duration UNLOCKED_GRACE = java.time.Duration.ofMinutes(1);

    private final Path root;

    public SnapshotStore(Path root) {
        this.root = root;
    }

    public static Path defaultRoot() {
        return HostPaths.isRoot()
                ? Path.of("/var/lib/hotsnap/snapshots")
                : Path.of(System.getProperty("user.home"), ".local/share/hotsnap/snapshots");
    }

    public Path root() {
        return root;
    }

    /** A new, empty, private snapshot directory; the id sorts by time. */
    public String create() throws IOException {
        PrivateFiles.createDirectories(root);
        for (int attempt = 0; attempt < 100; attempt++) {
            String id = LocalDateTime.now().format(ID_TIME) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
            Path dir = root.resolve(id);
            if (!Files.exists(dir)) {
                PrivateFiles.createDirectories(dir);
                return id;
            }
        }
        throw new IOException("cannot find a free snapshot id in " + root);
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    public Path partDir(String id, String vm) {
        return dir(id).resolve(vm);
    }

    public void writePart(String id, VmPart part) throws IOException {
        PrivateFiles.writeAtomically(partDir(id, part.name()).resolve(PART), JSON.writeValueAsBytes(part));
    }

    /** The commit point: after this returns, the snapshot exists. */
    public void commit(Manifest manifest) throws IOException {
        PrivateFiles.writeAtomically(dir(manifest.id()).resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
    }

    public Optional<Manifest> read(String id) {
        Path f = dir(id).resolve(MANIFEST);
        if (id.contains("/") || !Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), Manifest.class));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable manifest " + f + ": " + e.getMessage(), e);
        }
    }

    /** Committed snapshots, oldest first. */
    public List<Manifest> list() {
        List<Manifest> all = new ArrayList<>();
        ids().forEach(id -> read(id).ifPresent(all::add));
        all.sort(Comparator.comparing(Manifest::id));
        return all;
    }

    /**
     * Marks the snapshot as being worked on until closed, or until this process dies (the OS drops
     * the lock): {@link #removeAbandoned} leaves it alone meanwhile. Creates the directory.
     */
    public WorkLock lock(String id) throws IOException {
        PrivateFiles.createDirectories(dir(id));
        Path file = dir(id).resolve(LOCK + String.format("%016x", ThreadLocalRandom.current().nextLong()));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return new WorkLock(file, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** A held {@link #lock}: its own file, so that engines on hosts sharing a store never wait for each other. */
    public record WorkLock(Path file, FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            Files.deleteIfExists(file);
            channel.close();
        }
    }

    /**
     * Removes what a crashed or killed engine left: directories without a manifest whose lock no
     * live process holds (and, without a lock file, older than {@link #UNLOCKED_GRACE}).
     *
     * @return the ids removed
     */
    public List<String> removeAbandoned() {
        return ids().stream().filter(this::removeIfAbandoned).toList();
    }

    /** The names of the store's directories: committed snapshots and whatever is in the making. */
    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            dirs.forEach(d -> ids.add(d.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /** Removes one snapshot's directory if it is abandoned (see {@link #removeAbandoned}). */
    public boolean removeIfAbandoned(String id) {
        Path d = dir(id);
        if (Files.exists(d.resolve(MANIFEST)) || !Files.isDirectory(d)) {
            return false;
        }
        try {
            List<Path> locks;
            try (java.util.stream.Stream<Path> files = Files.list(d)) {
                locks = files.filter(f -> f.getFileName().toString().startsWith(LOCK)).toList();
            }
            if (locks.isEmpty() && Files.getLastModifiedTime(d).toInstant().isAfter(java.time.Instant.now().minus(UNLOCKED_GRACE))) {
                return false; // being created right now, its lock not yet taken
            }
            for (Path lockFile : locks) {
                if (held(lockFile)) {
                    return false;
                }
            }
            PrivateFiles.deleteTree(d);
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false; // vanished under us (another cleaner), or not ours to remove
        }
    }

    /** Whether a live process holds this lock file's lock. */
    private static boolean held(Path lockFile) throws IOException {
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock free = ch.tryLock();
            if (free == null) {
                return true;
            }
            free.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true; // held in this very JVM
        } catch (java.nio.file.NoSuchFileException e) {
            return false; // released and removed meanwhile
        }
    }

    /** Removes a snapshot; the manifest goes first so that a half-deleted one no longer counts. */
    public void delete(String id) throws IOException {
        Files.deleteIfExists(dir(id).resolve(MANIFEST));
        PrivateFiles.deleteTree(dir(id));
    }
}
