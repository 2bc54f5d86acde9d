package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.cli.HotsnapCli;
import io.hotsnap.cli.ResultPrinter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

/** The console jar's command line: the core's tree plus {@code --ssh-config} before the command, and the hidden {@code bench-ui}. */
class GlobalOptionsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ResultPrinter printer = new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void sshConfigBeforeTheCommandIsTakenOffIt(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("cfg"), "Host kvm1\n");
        HotsnapCli cli = Main.cli(printer);
        ParseResult parsed = cli.commandLine().parseArgs("--ssh-config", config.toString(), "snapshot", "--hosts", "kvm1", "--all");
        assertEquals(config, ((GlobalOptions) cli.commandLine().getMixins().get("global")).sshConfig());
        assertEquals("snapshot", parsed.subcommand().commandSpec().name());
        assertEquals(List.of("kvm1"), parsed.subcommand().matchedOptionValue("--hosts", List.of()));

        HotsnapCli other = Main.cli(printer);
        other.commandLine().parseArgs("--ssh-config=" + config, "vms");
        assertEquals(config, ((GlobalOptions) other.commandLine().getMixins().get("global")).sshConfig());
    }

    @Test
    void withoutItTheCommandIsUntouched() {
        HotsnapCli cli = Main.cli(printer);
        ParseResult parsed = cli.commandLine().parseArgs("lab", "up");
        assertNull(((GlobalOptions) cli.commandLine().getMixins().get("global")).sshConfig());
        assertEquals("up", parsed.subcommand().subcommand().commandSpec().name());
    }

    @Test
    void sshConfigWithoutFileIsAUsageError() {
        assertEquals(2, Main.run(List.of("--ssh-config"), printer));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("hotsnap: ") && text.contains("--ssh-config") && text.strip().lines().count() == 1, text);
    }

    @Test
    void missingSshConfigFileIsOneLineAndExitCodeTwo() {
        int code = Main.run(List.of("--ssh-config", "/nonexistent/hotsnap-ssh-config", "vms"), printer);
        assertEquals(2, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("hotsnap: ") && text.contains("/nonexistent/hotsnap-ssh-config") && text.strip().lines().count() == 1, text);
    }

    @Test
    void theHelpShowsSshConfigAndHidesBenchUi() {
        assertEquals(0, Main.run(List.of("--help"), printer));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--ssh-config=FILE"), help);
        assertTrue(help.lines().noneMatch(l -> l.strip().startsWith("bench-ui")), help);

        out.reset();
        assertEquals(0, Main.run(List.of("bench-ui", "--help"), printer));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--count=N"), out.toString(StandardCharsets.UTF_8));
    }
}
