package io.hotsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.settings.Timeouts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line on stderr, a meaningful exit code, nothing on stdout. */
class HotsnapCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HotsnapCli cli = new HotsnapCli(
            new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
            AgentConnector.localOnly(Timeouts.defaults()));

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
        assertEquals(ExitCode.USAGE.code(), run("frobnicate"));
        assertTrue(errLine().startsWith("hotsnap: unknown command 'frobnicate'"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(ExitCode.USAGE.code(), run("lab", "status", "--colour", "red"));
        assertEquals("hotsnap: unknown option --colour", errLine());
    }

    @Test
    void badAcceleratorIsAUsageError() {
        assertEquals(ExitCode.USAGE.code(), run("lab", "up", "--accel", "xen"));
        assertEquals("hotsnap: --accel must be kvm, tcg or auto, not 'xen'", errLine());
    }

    @Test
    void outOfRangeVmCountIsAUsageError() {
        assertEquals(ExitCode.USAGE.code(), run("lab", "up", "--count", "0"));
        assertEquals("hotsnap: --count must be between 1 and 16", errLine());
    }

    /** --vms names VMs everywhere; the lab's and the bench's count of VMs is --count. */
    @Test
    void vmsIsNeverACount() {
        assertEquals(ExitCode.USAGE.code(), run("lab", "up", "--vms", "3"));
        assertEquals("hotsnap: unknown option --vms", errLine());
        err.reset();
        assertEquals(ExitCode.USAGE.code(), run("bench", "--vms", "3"));
        assertEquals("hotsnap: unknown option --vms", errLine());
    }

    @Test
    void aNonNumericCountIsOneUsageLine() {
        assertEquals(ExitCode.USAGE.code(), run("bench", "--count", "three"));
        assertTrue(errLine().startsWith("hotsnap: ") && errLine().contains("--count"), errLine());
    }

    @Test
    void snapshotHelpPrintsItsUsageOnStdoutAndExitsZero() {
        assertEquals(0, run("snapshot", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("Usage: hotsnap snapshot "), help);
        for (String option : List.of("--vms", "--all", "--hosts", "--mode", "--disk", "--store", "--json", "--help")) {
            assertTrue(help.contains(option), option + " in " + help);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommandsAndTheExitCodesButNotTheInternalOnes() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : List.of("lab", "vms", "snapshot", "list", "show", "restore", "delete", "detach", "report", "bench", "help")) {
            assertTrue(help.lines().anyMatch(l -> l.startsWith("  " + command + " ")), command + " in " + help);
        }
        assertTrue(help.lines().noneMatch(l -> l.strip().startsWith("agent")), help);
        for (ExitCode code : ExitCode.values()) {
            assertTrue(help.lines().anyMatch(l -> l.startsWith("  " + code.code() + "  ")), code + " in " + help);
        }
        out.reset();
        assertEquals(0, run("help"));
        assertEquals(help, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandAndSubcommandAnswersDashH() {
        List<List<String>> paths = new java.util.ArrayList<>();
        collect(cli.commandLine(), List.of(), paths);
        assertTrue(paths.size() > 15, paths.toString());
        for (List<String> path : paths) {
            out.reset();
            List<String> words = new java.util.ArrayList<>(path);
            words.add("-h");
            assertEquals(0, cli.run(words), String.join(" ", words) + ": " + err);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: hotsnap " + String.join(" ", path)), String.join(" ", words) + ": " + out);
        }
    }

    private static void collect(picocli.CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            List<String> longer = new java.util.ArrayList<>(path);
            longer.add(name);
            collect(sub, longer, paths);
        });
    }

    @Test
    void versionIsTheProjectVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).strip().matches("hotsnap \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), out.toString());
    }

    @Test
    void anErrorUnderJsonIsAlsoAJsonObjectOnStdout(@TempDir Path store) throws Exception {
        assertEquals(ExitCode.CONFLICT.code(), run("show", "nope", "--json", "--store", store.toString()));
        assertTrue(errLine().startsWith("hotsnap: no snapshot 'nope'"), errLine());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(errLine().substring("hotsnap: ".length()), json.path("error").asText());
        assertEquals(ExitCode.CONFLICT.code(), json.path("exitCode").asInt());
        assertEquals(2, json.size(), json.toString());
    }

    @Test
    void aBadCommandLineUnderJsonIsAJsonUsageError() throws Exception {
        assertEquals(ExitCode.USAGE.code(), run("lab", "status", "--json", "--colour"));
        assertEquals("hotsnap: unknown option --colour", errLine());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("unknown option --colour", json.path("error").asText());
        assertEquals(ExitCode.USAGE.code(), json.path("exitCode").asInt());
    }

    @Test
    void aParentCommandWithoutItsCommandIsAUsageErrorNamingThem() {
        assertEquals(ExitCode.USAGE.code(), run("lab"));
        assertEquals("hotsnap: name a command: down, guest, status, up (hotsnap lab --help)", errLine());
    }

    @Test
    void labDownWhenNoneIsUpIsAConflict(@TempDir Path empty) {
        assertEquals(ExitCode.CONFLICT.code(), run("lab", "down", "--dir", empty.resolve("none").toString()));
        assertTrue(errLine().startsWith("hotsnap: no lab is up"));
    }

    @Test
    void labStatusWithNoLabPrintsAnEmptyListAsJson(@TempDir Path empty) {
        assertEquals(0, run("lab", "status", "--json", "--dir", empty.toString()));
        assertEquals("{\"vms\":[]}", out.toString(StandardCharsets.UTF_8).replaceAll("\\s", ""));
    }

    @Test
    void unknownSnapshotModeIsAUsageErrorNamingTheModes() {
        assertEquals(ExitCode.USAGE.code(), run("snapshot", "--vms", "a", "--mode", "fast"));
        assertTrue(errLine().contains("hold, barrier, independent, precopy, stopcopy"), errLine());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void snapshotWithoutVmsOrAllIsAUsageError() {
        assertEquals(ExitCode.USAGE.code(), run("snapshot"));
        assertTrue(errLine().contains("--all"), errLine());
    }

    @Test
    void snapshotWithBothVmsAndAllIsAUsageError() {
        assertEquals(ExitCode.USAGE.code(), run("snapshot", "--vms", "a", "--all"));
        assertTrue(errLine().contains("--all"), errLine());
    }

    @Test
    void aRemoteHostWithoutTheSshTransportIsRefusedWithTheReason() {
        assertEquals(ExitCode.FAILED.code(), run("snapshot", "--all", "--hosts", "root@192.0.2.1"));
        assertTrue(errLine().contains("SSH transport"), errLine());
    }
}
