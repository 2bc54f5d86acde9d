package io.hotsnap.cli;

import io.hotsnap.host.HostCommandException;
import io.hotsnap.protocol.AgentConnector;
import io.hotsnap.settings.Timeouts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The headless {@code hotsnap} command line (DESIGN §8). Every failure ends as one line on stderr
 * and a non-zero exit code; stdout carries only results.
 */
public final class HotsnapCli {

    private static final Logger LOG = LoggerFactory.getLogger(HotsnapCli.class);

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final ResultPrinter printer;

    public HotsnapCli(ResultPrinter printer, List<Command> commands) {
        this.printer = printer;
        commands.forEach(c -> this.commands.put(c.name(), c));
    }

    /**
     * The commands that need no display; the console adds its own on top.
     *
     * @param connector reaches the hosts named with {@code --hosts}: {@link AgentConnector#localOnly}
     *                  here, the SSH transport's in the console jar
     */
    public static List<Command> coreCommands(AgentConnector connector) {
        List<Command> all = new java.util.ArrayList<>(List.of(new LabCommand(), new VmsCommand()));
        all.addAll(SnapshotCommands.all(connector));
        all.add(new ReportCommand());
        all.add(new BenchCommand());
        all.add(new AgentCommand());
        return List.copyOf(all);
    }

    public static void main(String[] args) {
        System.exit(new HotsnapCli(ResultPrinter.standard(), coreCommands(AgentConnector.localOnly(Timeouts.defaults()))).run(List.of(args)));
    }

    public int run(List<String> words) {
        if (words.isEmpty() || words.get(0).equals("help") || words.get(0).equals("--help")) {
            printer.note(usage());
            return words.isEmpty() ? CliException.USAGE : 0;
        }
        Command command = commands.get(words.get(0));
        if (command == null) {
            printer.error("unknown command '" + words.get(0) + "' (commands: " + String.join(", ", commands.keySet()) + ")");
            return CliException.USAGE;
        }
        try {
            return command.run(words.subList(1, words.size()), printer);
        } catch (CliException e) {
            printer.error(e.getMessage());
            return e.exitCode();
        } catch (IllegalArgumentException e) {
            printer.error(e.getMessage());
            return CliException.USAGE;
        } catch (HostCommandException e) {
            printer.error(e.getMessage());
            return CliException.FAILED;
        } catch (RuntimeException e) {
            LOG.debug("command failed", e);
            printer.error(e.getClass().getSimpleName() + ": " + e.getMessage());
            return CliException.FAILED;
        }
    }

    private String usage() {
        StringBuilder sb = new StringBuilder("usage: hotsnap <command> [options] [--json]\n");
        commands.values().forEach(c -> sb.append(String.format("  %-8s %s%n", c.name(), c.summary())));
        return sb.toString().stripTrailing();
    }
}
