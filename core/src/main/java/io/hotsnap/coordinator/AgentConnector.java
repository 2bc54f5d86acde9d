package io.hotsnap.coordinator;

import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.settings.Timeouts;

/**
 * Opens the agent of a host as the administrator names it: {@code local}, or whatever a transport
 * understands ({@code user@host:port}, an alias from the SSH config). {@code core} knows only the
 * local agent; {@code ssh-transport} supplies a connector for the rest, and the console or CLI
 * passes it in.
 */
@FunctionalInterface
public interface AgentConnector {

    /**
     * @throws ProtocolException with a one-line reason when the host cannot be reached or its agent
     *                           cannot be started
     */
    AgentLink open(String host);

    /** This host's agent as a child process; any other host is refused with the reason. */
    static AgentConnector localOnly(Timeouts timeouts) {
        return host -> {
            if (!LocalAgentLink.HOST_NAME.equals(host)) {
                throw new ProtocolException(ProtocolException.FAILED, "host '" + host
                        + "': remote hosts need the SSH transport, which the console jar (./hotsnap) carries");
            }
            return LocalAgentLink.start(timeouts);
        };
    }
}
