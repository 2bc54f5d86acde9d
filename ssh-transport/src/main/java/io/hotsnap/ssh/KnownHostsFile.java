package io.hotsnap.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Adds an accepted host key to a known_hosts file by appending one OpenSSH line, so nothing else in
 * the file (hashed entries, comments, markers) is rewritten.
 */
final class KnownHostsFile {

    private KnownHostsFile() {
    }

    static synchronized void append(Path file, String host, String keyType, String base64Key) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        String line = host + " " + keyType + " " + base64Key + "\n";
        if (Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file)) {
            line = "\n" + line;
        }
        Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return all[all.length - 1] == '\n';
    }
}
