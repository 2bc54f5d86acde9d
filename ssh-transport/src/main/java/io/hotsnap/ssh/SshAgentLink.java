package io.hotsnap.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import io.hotsnap.coordinator.AgentStdio;
import io.hotsnap.coordinator.ForwardingAgentLink;
import io.hotsnap.coordinator.StreamAgentLink;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of a remote host, running in an SSH exec channel whose streams are an {@link AgentStdio},
 * as {@code LocalAgentLink}'s child's are; this class adds how the channel is opened, named in a
 * lost link's reason, and cut. The link owns the host's session: when the link ends, the session goes too.
 */
public final class SshAgentLink implements ForwardingAgentLink {

    private static final Logger LOG = LoggerFactory.getLogger(SshAgentLink.class);

    private final String hostName;
    private final SshConnection connection;
    private final ChannelExec channel;
    private final AgentDeployer.Deployment deployment;
    private final Duration exitGrace;
    private final AgentStdio stdio;

    private SshAgentLink(String hostName, SshConnection connection, ChannelExec channel, InputStream stdout, OutputStream stdin,
                         InputStream stderr, AgentDeployer.Deployment deployment, Duration exitGrace) {
        this.hostName = hostName;
        this.connection = connection;
        this.channel = channel;
        this.deployment = deployment;
        this.exitGrace = exitGrace;
        this.stdio = AgentStdio.start(hostName, stdout, stdin, stderr, this::exitDetail);
        // However the link ends, the session follows once the agent had its time to clean up.
        stdio.link().closedFuture().whenComplete((ok, lost) -> endSession());
    }

    /** Starts {@code command} (the agent; a POSIX sh script) in an exec channel of {@code connection}, whatever the login shell. */
    static SshAgentLink start(String hostName, SshConnection connection, String command, AgentDeployer.Deployment deployment,
                              SshTimeouts timeouts) throws JSchException, IOException {
        ChannelExec channel = (ChannelExec) connection.session().openChannel("exec");
        channel.setCommand(PosixShell.command(command));
        InputStream stdout = channel.getInputStream();
        OutputStream stdin = channel.getOutputStream();
        InputStream stderr = channel.getErrStream();
        channel.connect((int) timeouts.command().toMillis());
        return new SshAgentLink(hostName, connection, channel, stdout, stdin, stderr, deployment, timeouts.agentExit());
    }

    /** Where the agent jar is on the host and whether this connection had to copy it there. */
    public String agentJarPath() {
        return deployment.path();
    }

    public boolean agentJarUploaded() {
        return deployment.uploaded();
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public StreamAgentLink stream() {
        return stdio.link();
    }

    /** Says goodbye and closes the agent's input; the session is cut once the agent exits or its grace runs out. Does not wait. */
    @Override
    public void close() {
        stdio.link().close();
    }

    private void endSession() {
        Thread closer = new Thread(() -> {
            long deadline = System.nanoTime() + exitGrace.toNanos();
            while (!channel.isClosed() && connection.isConnected() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!channel.isClosed()) {
                LOG.warn("Agent on {} still running {} after its input closed: cutting the SSH session", hostName, exitGrace);
            }
            connection.close();
        }, "ssh-close-" + hostName);
        closer.setDaemon(true);
        closer.start();
    }

    /** Why the stream ended: the agent's exit status, or the session's loss. */
    private String exitDetail() {
        Poll.every(Waits.SSH_CHANNEL_POLL, Waits.SSH_AGENT_CLOSE).until(channel::isClosed);
        // No exit status means the channel was cut, not ended by the agent: give the session a
        // moment to notice, so the reason names the lost connection rather than a -1.
        Poll.every(Waits.SSH_CHANNEL_POLL, Waits.SSH_LOSS_NOTICED)
                .until(() -> !(channel.isClosed() && channel.getExitStatus() == -1 && connection.isConnected()));
        StringBuilder detail = new StringBuilder();
        if (!connection.isConnected()) {
            detail.append("SSH connection to ").append(connection.host().display()).append(" lost");
        } else if (channel.isClosed() && channel.getExitStatus() == -1) {
            detail.append("the agent's SSH channel was cut without an exit status: agent killed, or connection lost");
        } else if (channel.isClosed()) {
            detail.append("agent exit status ").append(channel.getExitStatus());
        } else {
            detail.append("agent channel still open");
        }
        return detail.toString();
    }
}
