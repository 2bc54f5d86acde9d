package io.hotsnap.app;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.ssh.SshAgentConnector;
import io.hotsnap.ssh.SshSettings;
import io.hotsnap.ssh.TerminalPrompts;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The console jar's options before the command: {@code hotsnap [--ssh-config FILE] <command> …},
 * mixed into the core's command tree. The SSH transport is made when a command first reaches a
 * host, so that commands without remote hosts never depend on it; a named config file that cannot
 * be read is a usage error at once, whatever the command.
 */
final class GlobalOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;
    private Path sshConfig;
    private AgentConnector connector;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "read FILE instead of ~/.ssh/config, as ssh -F")
    void sshConfig(Path file) {
        sshConfig = file == null ? null : file.toAbsolutePath();
        connector = null;
        if (sshConfig != null) {
            try {
                connector();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(mixee.commandLine(), e.getMessage());
            }
        }
    }

    /** null when not given */
    Path sshConfig() {
        return sshConfig;
    }

    /** Opens hosts over SSH ({@code local} stays a child process). */
    synchronized AgentConnector connector() {
        if (connector == null) {
            connector = new SshAgentConnector(SshSettings.fromEnvironment(sshConfig), TerminalPrompts.ofSystemConsole());
        }
        return connector;
    }
}
