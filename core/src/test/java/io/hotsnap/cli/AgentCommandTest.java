package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import io.hotsnap.protocol.AgentConnector;
import io.hotsnap.settings.Timeouts;
import org.junit.jupiter.api.Test;

/**
 * {@code hotsnap agent} is registered and takes no arguments. (Serving is tested in-process in
 * AgentTest and as a child process in LocalAgentLinkTest: running it here would take this JVM's stdin.)
 */
class AgentCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HotsnapCli cli = new HotsnapCli(
            new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
            HotsnapCli.coreCommands(AgentConnector.localOnly(Timeouts.defaults())));

    @Test
    void agentWithAnArgumentIsAUsageErrorAndWritesNothingToStdout() {
        assertEquals(CliException.USAGE, cli.run(List.of("agent", "now")));

        assertEquals("hotsnap: usage: hotsnap agent", err.toString(StandardCharsets.UTF_8).strip());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void agentIsListedInTheUsage() {
        cli.run(List.of("help"));

        assertEquals(1, err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("  agent ")).count());
    }
}
