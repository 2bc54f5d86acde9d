package io.hotsnap.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Adds an accepted host key to a known_hosts file by appending one OpenSSH line, so nothing else in
 * the file (hashed entries, comments, markers) is rewritten.
 */
final class KnownHostsFile {

    /** OpenSSH's salt length for {@code HashKnownHosts}: the size of an HMAC-SHA1 key block it uses. */
    private static final int SALT_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KnownHostsFile() {
    }

    /** @param hashed write the host as {@code |1|salt|hmac} (OpenSSH's {@code HashKnownHosts yes}), so the file does not list where we go */
    static synchronized void append(Path file, String host, String keyType, String base64Key, boolean hashed) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        String line = (hashed ? hashedName(host) : host) + " " + keyType + " " + base64Key + "\n";
        if (Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file)) {
            line = "\n" + line;
        }
        Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** {@code |1|base64(salt)|base64(HMAC-SHA1(salt, host))}, as {@code ssh-keygen -H} writes it. */
    static String hashedName(String host) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(KnownHostsPattern.hmac(salt, host));
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return all[all.length - 1] == '\n';
    }
}
