package io.hotsnap.host;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Snapshot files hold guest memory, which is a secret (keys, passwords): directories 0700, files
 * 0600 from the moment they exist, and commits that survive a crash (temp file, fsync, rename,
 * fsync of the directory).
 */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} and its missing parents, each 0700 from the moment it exists. An existing
     * directory is left as it is: its owner and mode are its owner's choice (a store given as
     * {@code /tmp} or a home directory must not be locked away from everyone else).
     *
     * @return whether {@code dir} itself was created now
     */
    public static boolean createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return true;
    }

    /** An empty file only the owner can read, created so (no window in which it is world-readable). */
    public static Path createFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    public static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Writes {@code target} so that a reader sees the old content or the whole new one, never a part. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        // A name of this writer's own: two writers of one file (agents of hosts sharing a store)
        // must not take each other's temporary file; the last rename wins, whole.
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        createFile(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp); // a failed write leaves nothing behind, not even its temporary file
            throw e;
        }
        fsync(target.getParent());
    }

    public static void fsync(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
