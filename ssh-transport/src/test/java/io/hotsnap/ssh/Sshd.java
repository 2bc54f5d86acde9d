package io.hotsnap.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} of a test's own: its own config, host key and port on 127.0.0.1,
 * authorized keys in its directory, running in the foreground ({@code -D -e}) as our child.
 * {@link #close()} kills it and every session it forked.
 */
public final class Sshd implements AutoCloseable {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final String address;
    private final int port;
    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Sshd(Path dir, String address, int port, Process process) {
        this.dir = dir;
        this.address = address;
        this.port = port;
        this.process = process;
    }

    /** Starts sshd in {@code dir} (made if needed) on a free port of 127.0.0.1, with {@code extra} lines appended to its config. */
    public static Sshd start(Path dir, String... extra) throws Exception {
        return start(dir, "127.0.0.1", freePort(), List.of(), extra);
    }

    /** Starts sshd as {@link #start(Path, String...)} does, but without the sftp subsystem, as some hardened hosts run it. */
    public static Sshd withoutSftp(Path dir) throws Exception {
        return start(dir, "127.0.0.1", freePort(), List.of(), false);
    }

    /**
     * Starts sshd on {@code address:port}, its command line prefixed by {@code wrapper} (e.g.
     * {@code ip netns exec NS}, for a "host" of its own).
     */
    static Sshd start(Path dir, String address, int port, List<String> wrapper, String... extra) throws Exception {
        return start(dir, address, port, wrapper, true, extra);
    }

    private static Sshd start(Path dir, String address, int port, List<String> wrapper, boolean sftp, String... extra) throws Exception {
        Files.createDirectories(dir.resolve("authorized_keys"));
        // sshd reads authorized_keys as the logging-in user: non-root users must be able to reach it.
        for (Path p = dir.resolve("authorized_keys"); p != null && !p.equals(Path.of("/tmp")) && !p.equals(Path.of("/")); p = p.getParent()) {
            Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(p));
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        }
        // sshd refuses to start without its privilege separation directory.
        Files.createDirectories(Path.of("/run/sshd"));
        Path hostKey = dir.resolve("host_ed25519");
        if (!Files.exists(hostKey)) {
            Exec.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-host", "-f", hostKey.toString());
        }
        List<String> config = new ArrayList<>(List.of(
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + hostKey,
                "PidFile none",
                "AuthorizedKeysFile " + dir.resolve("authorized_keys") + "/%u",
                // The temp directories are under /tmp (world-writable): StrictModes would refuse them.
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "Subsystem sftp internal-sftp",
                "LogLevel VERBOSE"));
        if (!sftp) {
            config.remove("Subsystem sftp internal-sftp");
        }
        config.addAll(List.of(extra));
        Path cfg = dir.resolve("sshd_config");
        Files.write(cfg, config);
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(SSHD.toString(), "-D", "-e", "-f", cfg.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Sshd sshd = new Sshd(dir, address, port, process);
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sshd.log.add(line);
                    if (line.contains("Server listening on")) {
                        listening.countDown();
                    }
                }
            } catch (IOException e) {
                // sshd gone
            }
        }, "sshd-log-" + port);
        reader.setDaemon(true);
        reader.start();
        if (!listening.await(10, TimeUnit.SECONDS)) {
            sshd.close();
            throw new IllegalStateException("sshd did not start: " + sshd.log);
        }
        return sshd;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    Path hostKeyPub() {
        return dir.resolve("host_ed25519.pub");
    }

    /** The host key as known_hosts has it for this sshd: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA…}. */
    public String knownHostsLine() throws IOException {
        String[] pub = Files.readString(hostKeyPub()).strip().split("\\s+");
        return (port == 22 ? address : "[" + address + "]:" + port) + " " + pub[0] + " " + pub[1];
    }

    /** Its SHA256 fingerprint as ssh-keygen prints it. */
    public String fingerprint() throws Exception {
        return Exec.check("ssh-keygen", "-l", "-E", "sha256", "-f", hostKeyPub().toString()).split("\\s+")[1];
    }

    /** Lets {@code user} log in with {@code publicKey}. */
    public void authorize(String user, Path publicKey) throws IOException {
        Path file = dir.resolve("authorized_keys").resolve(user);
        Files.writeString(file, Files.readString(publicKey), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    List<String> log() {
        return List.copyOf(log);
    }

    /** The per-connection sshd processes (not the listener, not what they run). */
    List<ProcessHandle> sessionProcesses() {
        return process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("sshd")).orElse(false))
                .toList();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
