package io.hotsnap.app.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hosts the console connects to at start, one per line as the administrator typed them
 * ({@code local}, an SSH config alias, {@code user@host:port}), with the key file chosen for it
 * after a tab. Names and paths only: keys and host keys stay where OpenSSH keeps them, and no
 * password or passphrase is ever written.
 */
public final class HostList {

    /** One remembered host. @param key null: ssh-agent and the SSH config's keys */
    public record Host(String name, Path key) {
    }

    private final Path file;

    public HostList(Path file) {
        this.file = file;
    }

    /** {@code $XDG_CONFIG_HOME/hotsnap/hosts}, else {@code ~/.config/hotsnap/hosts}. */
    public static HostList standard() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new HostList(base.resolve("hotsnap").resolve("hosts"));
    }

    /** Empty when the file is missing: the first run, where the console offers the local lab. */
    public List<Host> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(HostList::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host list " + file + ": " + e.getMessage(), e);
        }
    }

    public List<String> hosts() {
        return entries().stream().map(Host::name).distinct().toList();
    }

    /** The key chosen for this host, if any: what the SSH connector offers it. */
    public Optional<Path> key(String host) {
        return entries().stream().filter(h -> h.name().equals(host)).findFirst().map(Host::key);
    }

    /** Remembers the host (replacing an earlier line for it, so a new key choice wins). */
    public void add(Host host) {
        List<Host> hosts = new ArrayList<>(entries());
        hosts.removeIf(h -> h.name().equals(host.name()));
        hosts.add(host);
        write(hosts);
    }

    public void remove(String host) {
        List<Host> hosts = new ArrayList<>(entries());
        if (hosts.removeIf(h -> h.name().equals(host))) {
            write(hosts);
        }
    }

    private static Host parse(String line) {
        int tab = line.indexOf('\t');
        return tab < 0 ? new Host(line, null) : new Host(line.substring(0, tab).strip(), Path.of(line.substring(tab + 1).strip()));
    }

    private void write(List<Host> hosts) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "hosts", ".tmp");
            Files.write(tmp, hosts.stream().map(h -> h.key() == null ? h.name() : h.name() + "\t" + h.key()).toList());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the host list " + file + ": " + e.getMessage(), e);
        }
    }
}
