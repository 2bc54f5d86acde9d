package io.hotsnap.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The client side of a test, all in one temp directory: key pairs, a known_hosts file and an SSH
 * config (what {@code --ssh-config} names), so no test reads or writes the real {@code ~/.ssh}.
 */
final class ClientFiles {

    final Path dir;

    ClientFiles(Path dir) {
        this.dir = dir;
    }

    /** A new ed25519 key pair (private key at the returned path, public at .pub), optionally encrypted. */
    Path key(String name, String passphrase) throws Exception {
        Path key = dir.resolve(name);
        if (!Files.exists(key)) {
            Exec.check("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", key.toString());
        }
        return key;
    }

    Path key(String name) throws Exception {
        return key(name, "");
    }

    static Path pub(Path key) {
        return Path.of(key + ".pub");
    }

    Path knownHosts(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines));
        return file;
    }

    /** Writes an SSH config file from its lines and returns its path. */
    Path config(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines));
        return file;
    }

    /** Settings reading {@code config}, with a home of their own (no default keys, no real known_hosts) and no ssh-agent. */
    SshSettings settings(Path config) {
        return new SshSettings(config, dir.resolve("home"), null, "root", SshTimeouts.defaults());
    }
}
