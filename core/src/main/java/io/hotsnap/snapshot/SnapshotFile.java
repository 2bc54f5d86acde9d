package io.hotsnap.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file of a snapshot, relative to the VM's part directory, with what proves it unaltered. */
public record SnapshotFile(String path, long bytes, String sha256) {

    /** The file as recorded: relative to {@code partDir}, or absolute (an overlay-mode disk stays where it was). */
    public Path resolve(Path partDir) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : partDir.resolve(p);
    }

    public static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
