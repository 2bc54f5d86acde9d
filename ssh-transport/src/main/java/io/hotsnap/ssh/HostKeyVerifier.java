package io.hotsnap.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a host key is trusted, for one connection, by OpenSSH's rules.
 * JSch runs with {@code StrictHostKeyChecking=yes} and asks this repository; the user's and the
 * global known_hosts files are read by JSch's own parser, the lines naming the host found as OpenSSH
 * finds them ({@link KnownHostsPattern}: hashed names, wildcards, no fallback from {@code [host]:port}
 * to {@code host}), and those lines decide: a key marked {@code @revoked} is refused
 * even if also listed; a key listed is trusted; a host known by a key of any type that is not the one
 * offered has changed, and is refused under every policy; a {@code @cert-authority} line vouches for
 * certificates only (JSch checks those itself), never for a plain key. A host with no entry is new,
 * for the {@link HostKeyPolicy} and the user. Why a key was refused is kept for the one-line error,
 * since JSch's own exception says less.
 */
final class HostKeyVerifier implements HostKeyRepository {

    private static final Logger LOG = LoggerFactory.getLogger(HostKeyVerifier.class);
    private static final String REVOKED = "@revoked";
    private static final String CERT_AUTHORITY = "@cert-authority";

    /** One known_hosts file as JSch parsed it. */
    private record KnownFile(Path path, HostKeyRepository keys) {
    }

    /** One line of a file that names the host. */
    private record Entry(Path file, HostKey key) {
        boolean marked(String marker) {
            return key.getMarker().equals(marker);
        }

        boolean holds(byte[] blob) {
            return Arrays.equals(Base64.getDecoder().decode(key.getKey()), blob);
        }

        @Override
        public String toString() {
            return (key.getMarker().isEmpty() ? "" : key.getMarker() + " ") + key.getType() + " in " + file;
        }
    }

    private final SshHostConfig host;
    private final SshPrompts prompts;
    private final List<KnownFile> files = new ArrayList<>();
    private volatile String refusal;

    HostKeyVerifier(SshHostConfig host, SshPrompts prompts) {
        this.host = host;
        this.prompts = prompts;
        for (Path file : allFiles()) {
            if (Files.isRegularFile(file)) {
                JSch parser = new JSch();
                try {
                    parser.setKnownHosts(file.toString());
                    files.add(new KnownFile(file, parser.getHostKeyRepository()));
                } catch (JSchException e) {
                    throw new IllegalArgumentException("known hosts file " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The user's files first (a new key goes there), then the administrator's, as OpenSSH reads them. */
    private List<Path> allFiles() {
        List<Path> all = new ArrayList<>(host.knownHostsFiles());
        all.addAll(host.globalKnownHostsFiles());
        return all;
    }

    /** Why the host's key was refused, when it was. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    @Override
    public int check(String name, byte[] key) {
        List<Entry> entries = entries(name);
        String type = HostKeyFingerprint.keyType(key);
        String fingerprint = HostKeyFingerprint.sha256(key);
        Optional<Entry> revoked = entries.stream().filter(e -> e.marked(REVOKED) && e.holds(key)).findFirst();
        if (revoked.isPresent()) {
            return refuse("HOST KEY FOR " + name + " (" + host.name() + ") IS REVOKED: it offers " + type + " " + fingerprint
                    + ", which " + revoked.get().file() + " marks @revoked. Refusing to connect: a revoked key may be a stolen one used"
                    + " to impersonate the host; ask the host's administrator for its current key", CHANGED);
        }
        List<Entry> plain = entries.stream().filter(e -> e.marked("")).toList();
        if (plain.stream().anyMatch(e -> e.holds(key))) {
            return OK;
        }
        if (!plain.isEmpty()) {
            // OpenSSH too: a host known by one key that now offers another, of whatever type, has changed.
            return refuse("HOST KEY FOR " + name + " (" + host.name() + ") HAS CHANGED: it now offers " + type + " " + fingerprint
                    + ", which is not the key recorded for it (" + describe(plain) + "). Refusing to connect: someone may be"
                    + " intercepting the connection, or the host was reinstalled. If you know why, remove the old entry (ssh-keygen -R '"
                    + name + "' -f FILE) and connect again", CHANGED);
        }
        List<Entry> authorities = entries.stream().filter(e -> e.marked(CERT_AUTHORITY)).toList();
        if (!authorities.isEmpty()) {
            return refuse("host key of " + name + " is not trusted: it offers " + type + " key " + fingerprint + " as a plain key (or"
                    + " with a certificate no known authority signed), and the host is known only by a certificate authority ("
                    + describe(authorities) + "), which vouches for host certificates it signed, never for a plain key. Give the host a"
                    + " certificate signed by that authority (sshd HostCertificate), or add its key to known_hosts", NOT_INCLUDED);
        }
        return decideNew(name, type, fingerprint, key);
    }

    private int refuse(String reason, int result) {
        refusal = reason;
        LOG.error("{}", reason);
        return result;
    }

    /** Every line of every file that names the host, whatever its marker, matched as OpenSSH matches ({@link KnownHostsPattern}). */
    private List<Entry> entries(String name) {
        List<Entry> entries = new ArrayList<>();
        for (KnownFile file : files) {
            for (HostKey key : file.keys().getHostKey()) {
                if (KnownHostsPattern.matches(key.getHost(), name)) {
                    entries.add(new Entry(file.path(), key));
                }
            }
        }
        return entries;
    }

    private static String describe(List<Entry> entries) {
        return String.join(", ", entries.stream().map(Entry::toString).distinct().toList());
    }

    private int decideNew(String name, String type, String fingerprint, byte[] key) {
        Path target = host.knownHostsFiles().get(0);
        NewHostKey question = new NewHostKey(name, type, fingerprint, target);
        boolean accept;
        switch (host.hostKeyPolicy()) {
            case STRICT -> accept = false;
            case ACCEPT_NEW -> {
                accept = true;
                LOG.warn("Host {} is new: accepting its key {} {} (StrictHostKeyChecking accept-new) into {}", name, type, fingerprint, target);
            }
            default -> accept = prompts.trustNewHostKey(question).orElse(false);
        }
        if (!accept) {
            refusal = "host key of " + name + " is not known (" + type + " " + fingerprint + "; not in " + listed() + "): "
                    + (host.hostKeyPolicy() == HostKeyPolicy.STRICT ? "StrictHostKeyChecking yes refuses it"
                    : "there is no terminal to ask whether to trust it") + ". Check the fingerprint with the host's administrator,"
                    + " then add the key to known_hosts (or connect once from a terminal, or set StrictHostKeyChecking accept-new)";
            return NOT_INCLUDED;
        }
        try {
            KnownHostsFile.append(target, name, type, Base64.getEncoder().encodeToString(key), host.hashKnownHosts());
        } catch (IOException e) {
            refusal = "host key of " + name + " accepted, but it cannot be written to " + target + ": " + e.getMessage();
            return NOT_INCLUDED;
        }
        return OK;
    }

    private String listed() {
        return String.join(", ", allFiles().stream().map(Path::toString).toList());
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // JSch adds keys only under StrictHostKeyChecking no/ask, which we never give it.
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return host.knownHostsFiles().get(0).toString();
    }

    /** Every line, markers included: JSch's check of a host certificate looks for its authorities and revocations here. */
    @Override
    public HostKey[] getHostKey() {
        return files.stream().flatMap(f -> Arrays.stream(f.keys().getHostKey())).toArray(HostKey[]::new);
    }

    /**
     * JSch asks this to put first the key algorithms already known for the host, as OpenSSH does (so a
     * host with several keys is asked for the one we know). A revoked key is no reason to prefer its
     * type; {@link #check} refuses it itself.
     */
    @Override
    public HostKey[] getHostKey(String name, String type) {
        return entries(name).stream().map(Entry::key).filter(k -> !k.getMarker().equals(REVOKED))
                .filter(k -> type == null || k.getType().equals(type)).toArray(HostKey[]::new);
    }
}
