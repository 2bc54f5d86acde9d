package io.hotsnap.ssh;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the SSH transport finds its inputs: the config file ({@code --ssh-config}, else
 * {@code ~/.ssh/config}), the home that {@code ~} means, the ssh-agent socket, the local user name
 * (OpenSSH's default remote user), its timeouts. Tests build their own; the CLI takes the process's.
 *
 * @param configFile  null for {@code ~/.ssh/config} if it exists
 * @param agentSocket null when there is no ssh-agent
 */
public record SshSettings(Path configFile, Path home, Path agentSocket, String localUser, SshTimeouts timeouts) {

    /** The process's environment: {@code $HOME}, {@code $SSH_AUTH_SOCK}, the user running us. */
    public static SshSettings fromEnvironment(Path configFile) {
        String sock = System.getenv("SSH_AUTH_SOCK");
        Path agent = sock == null || sock.isBlank() || !Files.exists(Path.of(sock)) ? null : Path.of(sock);
        return new SshSettings(configFile, Path.of(System.getProperty("user.home")), agent, System.getProperty("user.name"),
                SshTimeouts.defaults());
    }

    public SshSettings withConfigFile(Path file) {
        return new SshSettings(file, home, agentSocket, localUser, timeouts);
    }

    public SshSettings withAgentSocket(Path socket) {
        return new SshSettings(configFile, home, socket, localUser, timeouts);
    }

    public SshSettings withHome(Path dir) {
        return new SshSettings(configFile, dir, agentSocket, localUser, timeouts);
    }
}
