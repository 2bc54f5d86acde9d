package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hotsnap.host.HostPaths;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.host.SafeName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * directories with a committed manifest count. The store may be a directory with other things in
 * it: every directory made here carries a {@link #MARKER} file, written before anything else, and
 * only marked directories (or committed snapshots) are ever removed.
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
    /** The file that says HotSnap made its directory (the store root it created, each snapshot directory). */
    public static final String MARKER = ".hotsnap";
    private static final byte[] MARKER_TEXT = "made by HotSnap: HotSnap removes only directories holding this file\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

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
        for (int attempt = 0; attempt < 100; attempt++) {
            String id = LocalDateTime.now().format(ID_TIME) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
            if (!Files.exists(dir(id), LinkOption.NOFOLLOW_LINKS)) {
                createDir(id);
                return id;
            }
        }
        throw new IOException("cannot find a free snapshot id in " + root);
    }

    /**
     * The snapshot's directory, marked, created (with the store root, 0700, if there is none) unless
     * this or another engine sharing the store made it already.
     *
     * @throws IOException when a directory of that name exists that HotSnap did not make: it is left alone
     */
    private Path createDir(String id) throws IOException {
        if (PrivateFiles.createDirectories(root)) {
            mark(root);
        }
        Path dir = dir(id);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            // Made whole, marker inside, then renamed into place: an engine sharing the store (NFS) never sees it unmarked.
            Path making = root.resolve(id + ".making-" + String.format("%08x", ThreadLocalRandom.current().nextInt()));
            PrivateFiles.createDirectories(making);
            mark(making);
            try {
                Files.move(making, dir, StandardCopyOption.ATOMIC_MOVE);
                return dir;
            } catch (java.nio.file.FileSystemException e) {
                // Another engine made it first (rename(2) says ENOTEMPTY, which Java reports only as a FileSystemException).
                Files.deleteIfExists(making.resolve(MARKER));
                Files.deleteIfExists(making);
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
            }
        }
        if (!marked(dir)) {
            throw new IOException(dir + " exists and was not made by HotSnap (no " + MARKER + " in it): left alone, choose another snapshot ID");
        }
        return dir;
    }

    private static void mark(Path dir) throws IOException {
        Path marker = dir.resolve(MARKER);
        if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
            PrivateFiles.writeAtomically(marker, MARKER_TEXT);
        }
    }

    private static boolean marked(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /** The snapshot's directory; never outside the store, whatever {@code id} a request carries. */
    public Path dir(String id) {
        return root.resolve(SafeName.check("snapshot ID", id));
    }

    /** A VM's part: its name as the directory when it can be one, else a safe name ({@link SafeName#dirName}); the part keeps the real name. */
    public Path partDir(String id, String vm) {
        return dir(id).resolve(SafeName.dirName(vm));
    }

    public void writePart(String id, VmPart part) throws IOException {
        PrivateFiles.writeAtomically(partDir(id, part.name()).resolve(PART), JSON.writeValueAsBytes(part));
    }

    /** The commit point: after this returns, the snapshot exists. */
    public void commit(Manifest manifest) throws IOException {
        PrivateFiles.writeAtomically(dir(manifest.id()).resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
    }

    /**
     * The committed snapshot {@code id}; empty when there is none (or {@code id} is no snapshot ID).
     *
     * @throws UncheckedIOException when its manifest cannot be read or names another snapshot
     */
    public Optional<Manifest> read(String id) {
        if (!SafeName.isStrict(id) || !Files.isRegularFile(dir(id).resolve(MANIFEST))) {
            return Optional.empty();
        }
        try {
            return Optional.of(readManifest(id));
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot " + id + " in " + root + " is broken: " + e.getMessage(), e);
        }
    }

    /** The manifest of {@code id}, which must name {@code id}; the exception's message is the reason in one line. */
    private Manifest readManifest(String id) throws IOException {
        Manifest m;
        try {
            m = JSON.readValue(dir(id).resolve(MANIFEST).toFile(), Manifest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("unreadable " + MANIFEST + ": " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        if (m == null || !id.equals(m.id())) {
            throw new IOException("its " + MANIFEST + " is of snapshot " + (m == null ? "null" : m.id()) + ", not of " + id);
        }
        return m;
    }

    /** Committed snapshots, oldest first; the broken ones are in {@link #listing()}. */
    public List<Manifest> list() {
        return listing().snapshots();
    }

    /**
     * Everything in the store: the committed snapshots, oldest first, and beside them every
     * directory that is not one, with the reason (one bad entry hides nothing). Marked directories
     * without a manifest are in neither: in the making, or abandoned and removed by the next snapshot
     * (their locks are not probed here: closing a probe's file would drop this process's own lock).
     */
    public StoreListing listing() {
        List<Manifest> good = new ArrayList<>();
        List<StoreListing.Broken> broken = new ArrayList<>();
        for (String name : ids()) {
            brokenReason(name, good).ifPresent(reason -> broken.add(new StoreListing.Broken(name, reason)));
        }
        good.sort(Comparator.comparing(Manifest::id));
        broken.sort(Comparator.comparing(StoreListing.Broken::dir));
        return new StoreListing(good, broken);
    }

    /** Adds the entry {@code name} to {@code good} if it is a committed snapshot; else why it is not (empty: HotSnap's, uncommitted). */
    private Optional<String> brokenReason(String name, List<Manifest> good) {
        Path d = root.resolve(name);
        if (Files.isSymbolicLink(d)) {
            return Optional.of("a symbolic link, not a snapshot directory");
        }
        if (!SafeName.isStrict(name)) {
            return Optional.of("not a HotSnap snapshot: its name is no snapshot ID");
        }
        if (Files.exists(d.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
            try {
                good.add(readManifest(name));
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.of(e.getMessage());
            }
        }
        return marked(d) ? Optional.empty()
                : Optional.of("not a HotSnap snapshot (no " + MANIFEST + ", no " + MARKER + " marker): left alone");
    }

    /**
     * Marks the snapshot as being worked on until closed, or until this process dies (the OS drops
     * the lock): {@link #removeAbandoned} leaves it alone meanwhile. Creates the directory.
     */
    public WorkLock lock(String id) throws IOException {
        createDir(id);
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
     * Removes what a crashed or killed engine left: marked directories without a manifest whose lock
     * no live process holds (and, without a lock file, older than {@link #UNLOCKED_GRACE}). A
     * directory HotSnap did not make is never removed, whatever its age.
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
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, d -> Files.isDirectory(d) || Files.isSymbolicLink(d))) {
            dirs.forEach(d -> ids.add(d.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /** Removes one snapshot's directory if it is abandoned (see {@link #removeAbandoned}). */
    public boolean removeIfAbandoned(String id) {
        if (!SafeName.isStrict(id)) {
            return false;
        }
        Path d = dir(id);
        if (Files.exists(d.resolve(MANIFEST)) || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) || !marked(d) || !abandoned(d)) {
            return false;
        }
        try {
            PrivateFiles.deleteTree(d);
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false; // vanished under us (another cleaner)
        }
    }

    /** Whether no live engine works on this uncommitted directory (see {@link #removeAbandoned}). */
    private static boolean abandoned(Path d) {
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
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false; // vanished under us (another cleaner)
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

    /**
     * Removes a snapshot; the manifest goes first so that a half-deleted one no longer counts.
     *
     * @throws IOException nothing removed, when the directory is not HotSnap's: neither marked nor
     *                     a committed snapshot of this id (snapshots older than the marker have no marker)
     */
    public void delete(String id) throws IOException {
        Path d = dir(id);
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) || !(marked(d) || committed(id))) {
            throw new IOException(d + " was not made by HotSnap (no " + MARKER + " marker, no manifest of " + id + "): left alone");
        }
        Files.deleteIfExists(d.resolve(MANIFEST));
        PrivateFiles.deleteTree(d);
    }

    private boolean committed(String id) {
        try {
            return Files.isRegularFile(dir(id).resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS) && readManifest(id) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
