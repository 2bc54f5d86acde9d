package io.hotsnap.ssh;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.coordinator.AgentLink;
import io.hotsnap.coordinator.LocalAgentLink;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a host's agent over SSH: session (host key checked, key auth), one probe of the host (uid,
 * sudo, Java, cached jar), the agent jar deployed if needed, then the agent started as root in an
 * exec channel by one command that checks the jar first ({@link AgentLaunch}). {@code local} still goes to {@link LocalAgentLink}. Every
 * failure is one line naming the host and what to do; whatever was opened is closed again.
 */
public final class SshAgentConnector implements AgentConnector {

    private static final Logger LOG = LoggerFactory.getLogger(SshAgentConnector.class);

    private final SshSettings settings;
    private final SshPrompts prompts;
    private final Function<String, Optional<Path>> identities;
    private SshSessionOpener opener;

    /**
     * @throws IllegalArgumentException when the named config file is missing or unreadable
     */
    public SshAgentConnector(SshSettings settings, SshPrompts prompts) {
        this(settings, prompts, host -> Optional.empty());
    }

    /**
     * @param identities the key the administrator chose for a host (by the name as typed), offered
     *                   alone in place of ssh-agent's and the config's; empty for the usual order
     * @throws IllegalArgumentException when the named config file is missing or unreadable
     */
    public SshAgentConnector(SshSettings settings, SshPrompts prompts, Function<String, Optional<Path>> identities) {
        this.settings = settings;
        this.prompts = prompts;
        this.identities = identities;
        if (settings.configFile() != null && !java.nio.file.Files.isReadable(settings.configFile())) {
            throw new IllegalArgumentException("--ssh-config " + settings.configFile() + ": no such readable file");
        }
    }

    /** The config is read on first use, so that commands without remote hosts never depend on it. */
    private synchronized SshSessionOpener opener() {
        if (opener == null) {
            try {
                SshConfig config = SshConfig.load(settings.configFile(), settings.home(), settings.localUser(), settings.timeouts().connect());
                opener = new SshSessionOpener(config, prompts, settings.agentSocket(), identities);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ProtocolException.FAILED, e.getMessage(), null, e);
            }
        }
        return opener;
    }

    @Override
    public AgentLink open(String host) {
        if (LocalAgentLink.HOST_NAME.equals(host)) {
            return LocalAgentLink.start(Timeouts.defaults());
        }
        return openSsh(host);
    }

    /** The agent of {@code host} over SSH (never the local one). */
    public SshAgentLink openSsh(String host) {
        long started = System.nanoTime();
        SshConnection connection = opener().open(host);
        String name = "ssh " + host + (host.equals(connection.host().display()) ? "" : " (" + connection.host().display() + ")") + ": ";
        try {
            AgentJar jar = AgentJar.bundled();
            HostProbe probe = HostProbe.run(connection, jar.remoteRelativePath(), settings.timeouts().command());
            checkRoot(probe, connection.host());
            checkJava(probe);
            AgentDeployer.Deployment deployment = AgentDeployer.ensure(connection, probe, jar, settings.timeouts());
            SshAgentLink link = SshAgentLink.start(host, connection, AgentLaunch.command(probe, deployment.path(), jar.sha256()), deployment, settings.timeouts());
            LOG.info("Agent on {} started in {} ms (jar {})", host, (System.nanoTime() - started) / 1_000_000,
                    deployment.uploaded() ? "copied" : "already there");
            return link;
        } catch (ProtocolException e) {
            connection.close();
            throw new ProtocolException(e.code(), name + e.getMessage(), null, e);
        } catch (IOException | com.jcraft.jsch.JSchException | RuntimeException e) {
            connection.close();
            throw new ProtocolException(ProtocolException.FAILED, name + e.getMessage(), null, e);
        }
    }

    private static void checkRoot(HostProbe probe, SshHostConfig host) {
        if (probe.uid() < 0) {
            throw new ProtocolException(ProtocolException.FAILED, "the host's shell did not say who we are (uid)");
        }
        if (!probe.canBecomeRoot()) {
            String why = probe.sudo().isEmpty() ? "sudo -n failed" : probe.sudo();
            throw new ProtocolException(ProtocolException.FAILED, "the agent must run as root, and user '" + host.user()
                    + "' is not root and cannot run java through sudo without a password (" + why + "): log in as root, or allow it"
                    + " passwordless sudo for java (sudoers NOPASSWD)");
        }
    }

    private static void checkJava(HostProbe probe) {
        probe.javaProblem().ifPresent(problem -> {
            throw new ProtocolException(ProtocolException.FAILED, problem);
        });
    }
}
