package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import io.hotsnap.protocol.AgentConnector;
import io.hotsnap.settings.Timeouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line on stderr, a meaningful exit code, nothing on stdout. */
class HotsnapCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HotsnapCli cli = new HotsnapCli(
            new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
            HotsnapCli.coreCommands(AgentConnector.localOnly(Timeouts.defaults())));

    private int run(String... words) {
        return cli.run(List.of(words));
    }

    private String errLine() {
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), "expected exactly one line on stderr, got: " + text);
        return text.strip();
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(CliException.USAGE, run("frobnicate"));
        assertTrue(errLine().startsWith("hotsnap: unknown command 'frobnicate'"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(CliException.USAGE, run("lab", "status", "--colour", "red"));
        assertEquals("hotsnap: unknown option --colour", errLine());
    }

    @Test
    void badAcceleratorIsAUsageError() {
        assertEquals(CliException.USAGE, run("lab", "up", "--accel", "xen"));
        assertEquals("hotsnap: --accel must be kvm, tcg or auto, not 'xen'", errLine());
    }

    @Test
    void outOfRangeVmCountIsAUsageError() {
        assertEquals(CliException.USAGE, run("lab", "up", "--vms", "0"));
        assertEquals("hotsnap: --vms must be between 1 and 16", errLine());
    }

    @Test
    void labDownWhenNoneIsUpIsAConflict(@TempDir Path empty) {
        assertEquals(CliException.CONFLICT, run("lab", "down", "--dir", empty.resolve("none").toString()));
        assertTrue(errLine().startsWith("hotsnap: no lab is up"));
    }

    @Test
    void labStatusWithNoLabPrintsAnEmptyListAsJson(@TempDir Path empty) {
        assertEquals(0, run("lab", "status", "--json", "--dir", empty.toString()));
        assertEquals("{\"vms\":[]}", out.toString(StandardCharsets.UTF_8).replaceAll("\\s", ""));
    }

    @Test
    void unknownSnapshotModeIsAUsageErrorNamingTheModes() {
        assertEquals(CliException.USAGE, run("snapshot", "--vms", "a", "--mode", "fast"));
        assertTrue(errLine().contains("hold, barrier, independent, precopy, stopcopy"), errLine());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void snapshotWithoutVmsOrAllIsAUsageError() {
        assertEquals(CliException.USAGE, run("snapshot"));
        assertTrue(errLine().contains("--all"), errLine());
    }

    @Test
    void snapshotWithBothVmsAndAllIsAUsageError() {
        assertEquals(CliException.USAGE, run("snapshot", "--vms", "a", "--all"));
        assertTrue(errLine().contains("--all"), errLine());
    }

    @Test
    void aRemoteHostWithoutTheSshTransportIsRefusedWithTheReason() {
        assertEquals(CliException.FAILED, run("snapshot", "--all", "--hosts", "root@192.0.2.1"));
        assertTrue(errLine().contains("SSH transport"), errLine());
    }
}
