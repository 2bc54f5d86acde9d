package io.hotsnap.cli;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.host.HostCommandException;
import io.hotsnap.lab.LabException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.SnapshotException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The headless {@code hotsnap} command line (DESIGN §8): one picocli command tree that the console
 * jar extends with its own commands and {@code --ssh-config}. Every failure ends as one line on
 * stderr (and, under {@code --json}, a JSON object on stdout) and an {@link ExitCode}; stdout
 * carries only results.
 */
public final class HotsnapCli {

    private static final Logger LOG = LoggerFactory.getLogger(HotsnapCli.class);

    private final ResultPrinter printer;
    private final CommandLine commandLine;

    /**
     * @param connector reaches the hosts named with {@code --hosts}: {@link AgentConnector#localOnly}
     *                  here, the SSH transport's in the console jar
     * @param extra     the console jar's own commands (picocli {@code @Command} objects)
     */
    public HotsnapCli(ResultPrinter printer, AgentConnector connector, Object... extra) {
        this.printer = printer;
        commandLine = new CommandLine(new Root());
        List.of(new LabCommand(printer), new VmsCommand(printer), new DoctorCommand(printer, connector), new SnapshotCommand(printer, connector), new ListCommand(printer),
                new ShowCommand(printer), new DeleteCommand(printer), new DetachCommand(printer), new RestoreCommand(printer),
                new ReportCommand(printer), new BenchCommand(printer), new AgentCommand()).forEach(commandLine::addSubcommand);
        List.of(extra).forEach(commandLine::addSubcommand);
        commandLine.getCommandSpec().usageMessage().footer(ExitCode.table());
        // After every subcommand is added: these settings reach only the commands present.
        commandLine.setOverwrittenOptionsAllowed(true) // the last of a repeated option wins, as it always did
                .setExpandAtFiles(false) // "@name" is a VM or file name, never a file of arguments
                .setOut(printer.textWriter())
                .setErr(printer.noteWriter());
    }

    public static void main(String[] args) {
        System.exit(new HotsnapCli(ResultPrinter.standard(), AgentConnector.localOnly(Timeouts.defaults())).run(List.of(args)));
    }

    /** The tree, for the console jar's options and the generated completion script and man page. */
    public CommandLine commandLine() {
        return commandLine;
    }

    /** @return the exit code: {@link ExitCode}, or 0 */
    public int run(List<String> words) {
        // The error's shape is chosen before parsing, so that a parse error under --json is JSON too.
        boolean json = words.contains(JsonOption.NAME);
        commandLine.setParameterExceptionHandler((e, args) -> fail(ExitCode.USAGE, reason(e), json));
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> failure(e, json));
        return commandLine.execute(words.toArray(String[]::new));
    }

    /** A parent command named without one of its commands: a usage error naming them. */
    static ParameterException noSubcommand(CommandSpec spec) {
        return new ParameterException(spec.commandLine(), "name a command: " + commands(spec.commandLine())
                + " (" + spec.qualifiedName() + " --help)");
    }

    private int failure(Exception e, boolean json) {
        if (e instanceof CliException c) {
            return fail(c.exitCode(), c.getMessage(), json);
        }
        if (e instanceof ParameterException p) {
            return fail(ExitCode.USAGE, reason(p), json);
        }
        if (e instanceof IllegalArgumentException) {
            return fail(ExitCode.USAGE, e.getMessage(), json);
        }
        if (e instanceof LabException l) {
            return fail(ExitCode.of(l.kind()), e.getMessage(), json);
        }
        if (e instanceof SnapshotException s) {
            return fail(s.kind() == SnapshotException.Kind.REFUSED ? ExitCode.CONFLICT : ExitCode.FAILED, e.getMessage(), json);
        }
        if (e instanceof HostCommandException) {
            return fail(ExitCode.FAILED, e.getMessage(), json);
        }
        LOG.debug("command failed", e);
        return fail(ExitCode.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), json);
    }

    private int fail(ExitCode code, String why, boolean json) {
        printer.error(why);
        if (json) {
            printer.json(new JsonError(why, code.code()));
        }
        return code.code();
    }

    /** picocli's reason in one line, in the words the command line has always used. */
    private static String reason(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            CommandLine where = u.getCommandLine();
            if (word.startsWith("-")) {
                return "unknown option " + word.split("=", 2)[0];
            }
            if (!where.getSubcommands().isEmpty()) {
                return "unknown command '" + word + "' (commands: " + commands(where) + ")";
            }
            return "unexpected argument '" + word + "' (" + where.getCommandSpec().qualifiedName() + " --help)";
        }
        return e.getMessage().lines().findFirst().orElse("bad command line");
    }

    /** The commands the help lists (not the hidden ones), by name. */
    private static String commands(CommandLine parent) {
        return parent.getSubcommands().entrySet().stream()
                .filter(c -> !c.getValue().getCommandSpec().usageMessage().hidden())
                .map(c -> c.getKey()).distinct().collect(Collectors.joining(", "));
    }

    /** An error under {@code --json}. */
    record JsonError(String error, int exitCode) {
    }

    @Command(name = "hotsnap", mixinStandardHelpOptions = true, versionProvider = Version.class, synopsisSubcommandLabel = "COMMAND",
            subcommands = HelpCommand.class,
            description = "Globally consistent snapshots of groups of QEMU/KVM VMs, with milliseconds of pause. Without a command"
                    + " the console opens. Every command takes -h/--help, and --json for a machine-readable result on stdout;"
                    + " a failure is one line on stderr (hotsnap: why).",
            footerHeading = "%nExit codes:%n")
    static final class Root implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            throw noSubcommand(spec);
        }
    }

    /** The project's version, from a resource Maven filters. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = HotsnapCli.class.getResourceAsStream("version.properties")) {
                p.load(in);
            }
            return new String[] {"hotsnap " + p.getProperty("version")};
        }
    }
}
