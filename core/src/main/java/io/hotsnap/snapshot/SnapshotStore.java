package io.hotsnap.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hotsnap.host.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
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
 * Where snapshots live: {@code STORE/ID/manifest.json} and one directory per VM with its memory
 * image, disk copies and {@code part.json}. Only directories with a committed manifest count.
 */
public final class SnapshotStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    public static final String MANIFEST = "manifest.json";
    public static final String PART = "part.json";

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
        if (!Files.isDirectory(root)) {
            return all;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : dirs) {
                read(d.getFileName().toString()).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort(Comparator.comparing(Manifest::id));
        return all;
    }

    /** Removes a snapshot; the manifest goes first so that a half-deleted one no longer counts. */
    public void delete(String id) throws IOException {
        Files.deleteIfExists(dir(id).resolve(MANIFEST));
        PrivateFiles.deleteTree(dir(id));
    }
}
