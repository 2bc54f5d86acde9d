package io.hotsnap.ssh;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The OpenSSH client config ({@code ~/.ssh/config}, or the file given with {@code --ssh-config} as
 * {@code ssh -F} takes it), turned into a {@link SshHostConfig} per host. JSch parses the file (Host
 * patterns, first value wins); this class decides what each value means for us, so that JSch's own
 * handling of the config (which would replace our host-key checks) is never switched on.
 */
public final class SshConfig {

    /** OpenSSH sends no keepalives by default; we do, so that a silent host is noticed within about 10 s (3 s x 3). */
    static final Duration DEFAULT_ALIVE_INTERVAL = Duration.ofSeconds(3);
    static final int DEFAULT_ALIVE_COUNT_MAX = 3;
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    /** OpenSSH's default GlobalKnownHostsFile: where an administrator lists the keys of the site's hosts for every user. */
    static final List<Path> DEFAULT_GLOBAL_KNOWN_HOSTS = List.of(Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2"));

    private final Path file;
    private final ConfigRepository repository;
    private final Path home;
    private final String localUser;
    private final Duration defaultConnectTimeout;

    private SshConfig(Path file, ConfigRepository repository, Path home, String localUser, Duration defaultConnectTimeout) {
        this.file = file;
        this.repository = repository;
        this.home = home;
        this.localUser = localUser;
        this.defaultConnectTimeout = defaultConnectTimeout;
    }

    /**
     * @param file the config named by the user (must exist), or null for {@code ~/.ssh/config} if there is one
     * @throws IllegalArgumentException when the named file is missing or cannot be read
     */
    public static SshConfig load(Path file, Path home, String localUser, Duration defaultConnectTimeout) {
        Path chosen = file != null ? file : home.resolve(".ssh/config");
        if (file != null && !Files.isReadable(file)) {
            throw new IllegalArgumentException("SSH config " + file + ": no such readable file");
        }
        ConfigRepository repository = ConfigRepository.nullConfig;
        if (Files.isReadable(chosen)) {
            try {
                repository = OpenSSHConfig.parseFile(chosen.toString());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("SSH config " + chosen + ": cannot read it: " + e.getMessage(), e);
            }
        }
        return new SshConfig(Files.isReadable(chosen) ? chosen : null, repository, home, localUser, defaultConnectTimeout);
    }

    /** The file read, or null when there was none. */
    public Path file() {
        return file;
    }

    public SshHostConfig resolve(String typed) {
        HostSpec spec = HostSpec.parse(typed);
        ConfigRepository.Config c = repository.getConfig(spec.host());
        boolean fromConfig = c.getHostname() != null;
        String hostName = fromConfig ? c.getHostname() : spec.host();
        String user = first(spec.user(), c.getUser(), localUser);
        int port = spec.port() > 0 ? spec.port() : c.getPort() > 0 ? c.getPort() : 22;

        List<Path> identities = new ArrayList<>();
        String[] configured = c.getValues("IdentityFile");
        // JSch's empty config (no file at all) answers null rather than an empty array.
        for (String v : configured == null ? new String[0] : configured) {
            identities.add(expand(v, user, hostName));
        }
        if (identities.isEmpty()) {
            DEFAULT_KEYS.stream().map(k -> home.resolve(".ssh").resolve(k)).filter(Files::isRegularFile).forEach(identities::add);
        }
        List<Path> knownHosts = paths(c.getValue("UserKnownHostsFile"), List.of(home.resolve(".ssh/known_hosts")), user, hostName);
        List<Path> globalKnownHosts = paths(c.getValue("GlobalKnownHostsFile"), DEFAULT_GLOBAL_KNOWN_HOSTS, user, hostName);
        String proxyJump = c.getValue("ProxyJump");
        if (proxyJump != null && proxyJump.strip().equalsIgnoreCase("none")) {
            proxyJump = null;
        }
        return new SshHostConfig(typed, user, hostName, port, List.copyOf(identities), yes(c.getValue("IdentitiesOnly")),
                knownHosts, globalKnownHosts, yes(c.getValue("HashKnownHosts")), HostKeyPolicy.parse(c.getValue("StrictHostKeyChecking")), c.getValue("HostKeyAlias"),
                millis(c.getValue("ServerAliveInterval"), DEFAULT_ALIVE_INTERVAL),
                integer(c.getValue("ServerAliveCountMax"), DEFAULT_ALIVE_COUNT_MAX),
                millis(c.getValue("ConnectTimeout"), defaultConnectTimeout), proxyJump, fromConfig);
    }

    /** A keyword that takes several files (space-separated, as OpenSSH has it), or the default when absent. */
    private List<Path> paths(String value, List<Path> otherwise, String user, String hostName) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        return Arrays.stream(value.strip().split("\\s+")).map(v -> expand(v, user, hostName)).toList();
    }

    /** {@code ~} and the tokens OpenSSH documents for these keywords that make sense here. */
    private Path expand(String value, String user, String hostName) {
        String v = value.strip();
        if (v.startsWith("~/") || v.equals("~")) {
            v = home + v.substring(1);
        }
        v = v.replace("%d", home.toString()).replace("%u", localUser).replace("%r", user).replace("%h", hostName).replace("%%", "%");
        return Path.of(v);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static boolean yes(String value) {
        return value != null && value.strip().toLowerCase(Locale.ROOT).matches("yes|true");
    }

    /** JSch's parser already turns the interval keywords from seconds into milliseconds. */
    private static Duration millis(String value, Duration otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            long ms = Long.parseLong(value.strip());
            return ms > 0 ? Duration.ofMillis(ms) : otherwise;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SSH config: '" + value + "' is not a number of seconds");
        }
    }

    private static int integer(String value, int otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Math.max(1, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SSH config: '" + value + "' is not a number");
        }
    }
}
