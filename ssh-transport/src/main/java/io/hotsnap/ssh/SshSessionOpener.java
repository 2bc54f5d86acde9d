package io.hotsnap.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.Slf4jLogger;
import io.hotsnap.protocol.ProtocolException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an authenticated SSH session to a host as the administrator names it, through its jump
 * hosts if the config has ProxyJump. Every failure becomes one {@link ProtocolException} whose
 * message says what to do about it.
 */
final class SshSessionOpener {

    private static final Logger LOG = LoggerFactory.getLogger(SshSessionOpener.class);
    /** A ProxyJump chain longer than this is a loop in the config. */
    private static final int MAX_JUMPS = 8;

    static {
        JSch.setLogger(new Slf4jLogger());
    }

    private final SshConfig config;
    private final SshPrompts prompts;
    private final Path agentSocket;
    private final Function<String, Optional<Path>> identities;

    /** @param identities a key chosen for a host as typed (the console's "Add host"), else the config's keys */
    SshSessionOpener(SshConfig config, SshPrompts prompts, Path agentSocket, Function<String, Optional<Path>> identities) {
        this.config = config;
        this.prompts = prompts;
        this.agentSocket = agentSocket;
        this.identities = identities;
    }

    SshConnection open(String typed) {
        SshHostConfig host;
        try {
            SshHostConfig resolved = config.resolve(typed);
            host = identities.apply(typed).map(resolved::withIdentity).orElse(resolved);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ProtocolException.FAILED, e.getMessage(), null, e);
        }
        List<Session> jumps = new ArrayList<>();
        try {
            Session via = null;
            for (SshHostConfig jump : jumpChain(host)) {
                via = connect(jump, via);
                jumps.add(via);
            }
            return new SshConnection(host, connect(host, via), jumps);
        } catch (RuntimeException e) {
            jumps.forEach(Session::disconnect);
            throw e;
        }
    }

    /** The jump hosts in the order they are passed through: a jump host's own ProxyJump comes before it. */
    private List<SshHostConfig> jumpChain(SshHostConfig host) {
        List<SshHostConfig> chain = new ArrayList<>();
        SshHostConfig current = host;
        while (current.proxyJump() != null) {
            String[] hops = current.proxyJump().split(",");
            List<SshHostConfig> before = new ArrayList<>();
            for (String hop : hops) {
                before.add(config.resolve(hop.strip()));
            }
            chain.addAll(0, before);
            if (chain.size() > MAX_JUMPS) {
                throw new ProtocolException(ProtocolException.FAILED, "host '" + host.name() + "': ProxyJump chain longer than "
                        + MAX_JUMPS + " (a loop in " + config.file() + "?)");
            }
            current = before.get(0);
        }
        return chain;
    }

    private Session connect(SshHostConfig host, Session via) {
        HostKeyVerifier verifier;
        try {
            verifier = new HostKeyVerifier(host, prompts);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ProtocolException.FAILED, "ssh " + host.name() + ": " + e.getMessage(), null, e);
        }
        KeyIdentities identities = KeyIdentities.of(host, agentSocket);
        PassphraseUserInfo userInfo = new PassphraseUserInfo(prompts);
        Session session = null;
        long started = System.nanoTime();
        try {
            session = new JSch().getSession(host.user(), host.hostName(), host.port());
            session.setHostKeyRepository(verifier);
            // "yes": JSch never accepts a key itself; the verifier has already decided (and written) it.
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setIdentityRepository(identities);
            session.setUserInfo(userInfo);
            if (host.hostKeyAlias() != null) {
                session.setHostKeyAlias(host.hostKeyAlias());
            }
            session.setServerAliveInterval((int) host.serverAliveInterval().toMillis());
            session.setServerAliveCountMax(host.serverAliveCountMax());
            if (via != null) {
                session.setProxy(new JumpProxy(via));
            }
            session.connect((int) host.connectTimeout().toMillis());
            LOG.info("SSH session to {} up in {} ms", host.name().equals(host.display()) ? host.name() : host.name() + " (" + host.display() + ")",
                    (System.nanoTime() - started) / 1_000_000);
            return session;
        } catch (JSchException e) {
            if (session != null) {
                session.disconnect();
            }
            String reason = SshFailure.describe(host, e, verifier.refusal(), userInfo.unanswered(), identities, config.file());
            throw new ProtocolException(ProtocolException.FAILED, reason, null, e);
        }
    }
}
