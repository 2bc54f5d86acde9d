package io.hotsnap.app;

import io.hotsnap.app.dashboard.DashboardBenchCommand;
import io.hotsnap.cli.CliException;
import io.hotsnap.cli.Command;
import io.hotsnap.cli.HotsnapCli;
import io.hotsnap.cli.ResultPrinter;
import io.hotsnap.ssh.SshAgentConnector;
import io.hotsnap.ssh.SshSettings;
import io.hotsnap.ssh.TerminalPrompts;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;

/**
 * Entry point of {@code hotsnap-console.jar}.
 *
 * <p>Without a command it opens the JavaFX console; with one it is the headless {@code hotsnap}
 * command line (same jar, no display needed), whose {@code --hosts} reach remote hosts over SSH
 * ({@code local} stays a child process). {@code --ssh-config FILE} before the command replaces
 * {@code ~/.ssh/config}. This is deliberately a plain class: a fat jar whose main class extends
 * {@link Application} fails on the classpath with "JavaFX runtime components are missing".
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            Application.launch(HotsnapConsole.class);
            return;
        }
        System.exit(run(List.of(args), ResultPrinter.standard()));
    }

    static int run(List<String> args, ResultPrinter printer) {
        GlobalOptions options;
        SshAgentConnector connector;
        try {
            options = GlobalOptions.parse(args);
            connector = new SshAgentConnector(SshSettings.fromEnvironment(options.sshConfig()), TerminalPrompts.ofSystemConsole());
        } catch (IllegalArgumentException e) {
            printer.error(e.getMessage());
            return CliException.USAGE;
        }
        List<Command> commands = new ArrayList<>(HotsnapCli.coreCommands(connector));
        commands.add(new DashboardBenchCommand());
        return new HotsnapCli(printer, commands).run(options.command());
    }
}
