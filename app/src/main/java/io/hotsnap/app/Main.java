package io.hotsnap.app;

import io.hotsnap.app.dashboard.DashboardBenchCommand;
import io.hotsnap.cli.HotsnapCli;
import io.hotsnap.cli.ResultPrinter;
import java.util.List;
import javafx.application.Application;

/**
 * Entry point of {@code hotsnap-console.jar}.
 *
 * <p>Without a command it opens the JavaFX console; with one it is the headless {@code hotsnap}
 * command line (same jar, no display needed): the core's command tree plus {@code --ssh-config}
 * and the console's own {@code bench-ui}, whose {@code --hosts} reach remote hosts over SSH
 * ({@code local} stays a child process). This is deliberately a plain class: a fat jar whose main
 * class extends {@link Application} fails on the classpath with "JavaFX runtime components are missing".
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
        return cli(printer).run(args);
    }

    /** The console jar's command tree; also what the completion script and the man page are generated from. */
    static HotsnapCli cli(ResultPrinter printer) {
        GlobalOptions options = new GlobalOptions();
        HotsnapCli cli = new HotsnapCli(printer, host -> options.connector().open(host), new DashboardBenchCommand(printer));
        cli.commandLine().addMixin("global", options);
        return cli;
    }
}
