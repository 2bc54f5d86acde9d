package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.settings.Timeouts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code hotsnap agent} is registered, hidden and takes no arguments. (Serving is tested in-process in
 * AgentTest and as a child process in LocalAgentLinkTest: running it here would take this JVM's stdin.)
 */
class AgentCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HotsnapCli cli = new HotsnapCli(
            new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
            AgentConnector.localOnly(Timeouts.defaults()));

    @Test
    void agentWithAnArgumentIsAUsageErrorAndWritesNothingToStdout() {
        assertEquals(ExitCode.USAGE.code(), cli.run(List.of("agent", "now")));

        assertEquals("hotsnap: unexpected argument 'now' (hotsnap agent --help)", err.toString(StandardCharsets.UTF_8).strip());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    /** Started over SSH and by the local link as {@code … HotsnapCli agent}: it runs, but nobody types it. */
    @Test
    void agentIsHiddenFromTheHelpButKnown() {
        cli.run(List.of("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).lines().noneMatch(l -> l.strip().startsWith("agent")), out.toString());

        out.reset();
        assertEquals(0, cli.run(List.of("agent", "--help")));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: hotsnap agent"), out.toString());
    }
}
