package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.ssh.Sshd;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged console jar as an administrator runs it, {@code java -jar hotsnap-console.jar
 * --ssh-config FILE snapshot --hosts …}, against a real sshd: what the fat jar carries (the agent
 * jar, JSch's ed25519) and how Main reads its global option are only proven this way.
 */
class ConsoleJarSshIT {

    private static final Path JAR = Path.of("target", "hotsnap-console.jar");

    @TempDir
    static Path dir;
    static Sshd sshd;
    static Path key;

    @BeforeAll
    static void start() throws Exception {
        sshd = Sshd.start(dir.resolve("sshd"));
        key = dir.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
        sshd.authorize("root", Path.of(key + ".pub"));
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private static Path config(Path knownHosts) throws Exception {
        Path config = dir.resolve("config-" + knownHosts.getFileName());
        Files.write(config, List.of("Host kvm", "  HostName 127.0.0.1", "  Port " + sshd.port(), "  User root",
                "  IdentityFile " + key, "  UserKnownHostsFile " + knownHosts));
        return config;
    }

    /** Runs the console jar with no terminal (stdin from nothing); returns exit code and stderr. */
    private static Result hotsnap(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(List<String> command) throws Exception {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "finished");
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    private record Result(int code, String stdout, String stderr) {
    }

    @Test
    void snapshotThroughSshReachesTheDeployedAgentAndItsInventory() throws Exception {
        Path known = dir.resolve("known_hosts");
        Files.writeString(known, sshd.knownHostsLine() + "\n");

        Result r = hotsnap("--ssh-config", config(known).toString(), "snapshot", "--hosts", "kvm", "--vms", "no-such-vm-ss", "--json");

        // Exit 3 with the inventory's answer: session, deploy, agent start and the agent's reply all worked.
        assertEquals(3, r.code(), r.stderr());
        assertTrue(r.stderr().contains("unknown VM 'no-such-vm-ss': no running VM of that name on kvm"), r.stderr());
        // Under --json the error is a JSON object on stdout as well.
        com.fasterxml.jackson.databind.JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
        assertTrue(error.path("error").asText().startsWith("unknown VM 'no-such-vm-ss'"), r.stdout());
        assertEquals(3, error.path("exitCode").asInt(), r.stdout());
    }

    @Test
    void unknownHostKeyWithoutTerminalIsOneLineWithItsFingerprint() throws Exception {
        Result r = hotsnap("--ssh-config", config(dir.resolve("empty_known_hosts")).toString(), "snapshot", "--hosts", "kvm",
                "--vms", "x", "--json");

        assertEquals(1, r.code(), r.stderr());
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("hotsnap: ")).toList();
        assertEquals(1, lines.size(), r.stderr());
        assertTrue(lines.get(0).contains(sshd.fingerprint()) && lines.get(0).contains("[127.0.0.1]:" + sshd.port()), r.stderr());
    }
}
