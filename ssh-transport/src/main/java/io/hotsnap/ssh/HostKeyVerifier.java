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
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a host key is trusted, for one connection. JSch runs with
 * {@code StrictHostKeyChecking=yes} and asks this repository; known_hosts files are read by JSch's
 * own parser (hashed entries and {@code [host]:port} included). A key not in them is decided by the
 * {@link HostKeyPolicy} and the user; a changed key is always refused. Why a key was refused is kept
 * for the one-line error, since JSch's own exception says less.
 */
final class HostKeyVerifier implements HostKeyRepository {

    private static final Logger LOG = LoggerFactory.getLogger(HostKeyVerifier.class);

    private final SshHostConfig host;
    private final SshPrompts prompts;
    private final List<HostKeyRepository> files = new ArrayList<>();
    private volatile String refusal;

    HostKeyVerifier(SshHostConfig host, SshPrompts prompts) {
        this.host = host;
        this.prompts = prompts;
        for (Path file : host.knownHostsFiles()) {
            if (Files.isRegularFile(file)) {
                JSch parser = new JSch();
                try {
                    parser.setKnownHosts(file.toString());
                    files.add(parser.getHostKeyRepository());
                } catch (JSchException e) {
                    throw new IllegalArgumentException("known hosts file " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Why the host's key was refused, when it was. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    @Override
    public int check(String name, byte[] key) {
        boolean changed = false;
        for (HostKeyRepository file : files) {
            int result = file.check(name, key);
            if (result == OK) {
                return OK;
            }
            changed |= result == CHANGED;
        }
        String type = HostKeyFingerprint.keyType(key);
        String fingerprint = HostKeyFingerprint.sha256(key);
        if (changed) {
            refusal = "HOST KEY FOR " + name + " (" + host.name() + ") HAS CHANGED: it now offers " + type + " " + fingerprint
                    + ", which is not the key recorded in " + listed() + ". Refusing to connect: someone may be intercepting the"
                    + " connection, or the host was reinstalled. If you know why, remove the old entry (ssh-keygen -R '" + name
                    + "' -f FILE) and connect again";
            LOG.error("{}", refusal);
            return CHANGED;
        }
        return decideNew(name, type, fingerprint, key);
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
            KnownHostsFile.append(target, name, type, Base64.getEncoder().encodeToString(key));
        } catch (IOException e) {
            refusal = "host key of " + name + " accepted, but it cannot be written to " + target + ": " + e.getMessage();
            return NOT_INCLUDED;
        }
        return OK;
    }

    private String listed() {
        return String.join(", ", host.knownHostsFiles().stream().map(Path::toString).toList());
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

    @Override
    public HostKey[] getHostKey() {
        return files.stream().flatMap(f -> java.util.Arrays.stream(f.getHostKey())).toArray(HostKey[]::new);
    }

    /** JSch asks this to prefer the key types already known for the host, as OpenSSH does. */
    @Override
    public HostKey[] getHostKey(String name, String type) {
        return files.stream().flatMap(f -> java.util.Arrays.stream(f.getHostKey(name, type))).toArray(HostKey[]::new);
    }
}
