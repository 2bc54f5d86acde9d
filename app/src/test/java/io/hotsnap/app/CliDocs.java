package io.hotsnap.app;

import io.hotsnap.cli.ResultPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/**
 * A build step, not a test (exec-maven-plugin runs it in the package phase): writes the console
 * jar's bash/zsh completion script and its man page from the same command tree the jar runs, under
 * {@code share/} in the layout the packages install them ({@code installers/package.sh}).
 */
final class CliDocs {

    private CliDocs() {
    }

    /** @param args the {@code share} directory to write into */
    public static void main(String[] args) throws IOException {
        Path share = Path.of(args[0]);
        CommandLine cli = Main.cli(ResultPrinter.standard()).commandLine();
        Path completions = Files.createDirectories(share.resolve("bash-completion/completions"));
        Files.writeString(completions.resolve("hotsnap"), AutoComplete.bash("hotsnap", cli));
        Path man = Files.createDirectories(share.resolve("man/man1"));
        Files.writeString(man.resolve("hotsnap.1"), manPage(cli));
    }

    /**
     * One page: the top-level help, then each command's help as it prints it (picocli's own
     * generator writes AsciiDoc, which would need Asciidoctor at build time).
     */
    static String manPage(CommandLine cli) {
        StringBuilder page = new StringBuilder(".TH HOTSNAP 1 \"\" \"" + cli.getCommandSpec().version()[0] + "\" \"User Commands\"\n")
                .append(".SH NAME\nhotsnap \\- ").append(troff(String.join(" ", cli.getCommandSpec().usageMessage().description())))
                .append("\n.SH SYNOPSIS\n.nf\n").append(troff(cli.getHelp().synopsis(0).strip())).append("\n.fi\n")
                .append(".SH DESCRIPTION\n.nf\n").append(troff(cli.getUsageMessage(Help.Ansi.OFF))).append(".fi\n")
                .append(".SH COMMANDS\n");
        commands(cli, page);
        return page.toString();
    }

    private static void commands(CommandLine parent, StringBuilder page) {
        parent.getSubcommands().values().stream().distinct().filter(c -> !c.getCommandSpec().usageMessage().hidden()).forEach(c -> {
            page.append(".SS ").append(troff(c.getCommandSpec().qualifiedName())).append("\n.nf\n")
                    .append(troff(c.getUsageMessage(Help.Ansi.OFF))).append(".fi\n");
            commands(c, page);
        });
    }

    /** Plain text made safe for troff: backslashes escaped, no line read as a request, hyphens as minus signs. */
    private static String troff(String text) {
        return text.lines().map(l -> "\\&" + l.replace("\\", "\\e").replace("-", "\\-"))
                .collect(Collectors.joining("\n", "", text.endsWith("\n") ? "\n" : ""));
    }
}
