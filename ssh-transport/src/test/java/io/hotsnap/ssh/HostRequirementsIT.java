package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.cli.ExitCode;
import io.hotsnap.cli.HotsnapCli;
import io.hotsnap.cli.ResultPrinter;
import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent needs on a host, provoked for real: a login user whose sudo wants a password, and
 * one allowed exactly {@code sudo -n java}. (A host whose PATH has no java is LoginShellsIT's: the
 * agent then runs a java under /usr/lib/jvm; with none at all, HostProbeTest has the message.)
 * The two users and their sudoers rule exist only during this class.
 */
class HostRequirementsIT {

    private static final String PASSWORD_USER = "hsssh-pw";
    private static final String NOPASSWD_USER = "hsssh-np";
    private static final TestUsers USERS = new TestUsers(Path.of("/var/tmp/hotsnap-ssh-it"), Path.of("/etc/sudoers.d/hotsnap-ssh-it"),
            Map.of(PASSWORD_USER, "/bin/sh", NOPASSWD_USER, "/bin/sh"));

    @TempDir
    static Path dir;
    static Sshd sshd;
    static ClientFiles client;
    static Path key;
    static boolean usersMade;

    @BeforeAll
    static void start() throws Exception {
        client = new ClientFiles(dir.resolve("client"));
        Files.createDirectories(client.dir);
        key = client.key("id_ed25519");
        sshd = Sshd.start(dir.resolve("sshd"));
        if (Files.exists(Path.of("/usr/bin/sudo")) && Files.exists(Path.of("/usr/sbin/useradd"))) {
            makeUsers();
        }
    }

    private static void makeUsers() throws Exception {
        USERS.make(sshd, ClientFiles.pub(key), PASSWORD_USER + " ALL=(root) /usr/bin/java\n" + NOPASSWD_USER
                + " ALL=(root) NOPASSWD: /usr/bin/java\n", dir);
        usersMade = true;
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (usersMade) {
            USERS.remove();
        }
    }

    private static SshAgentConnector connector(Sshd s) throws Exception {
        Path known = client.knownHosts("known_hosts-" + s.port(), s.knownHostsLine());
        Path config = client.config("config-" + s.port(), "Host *", "  IdentityFile " + key, "  UserKnownHostsFile " + known);
        return new SshAgentConnector(client.settings(config), SshPrompts.none());
    }

    private static String refusal(SshAgentConnector connector, String host) {
        long t0 = System.nanoTime();
        ProtocolException e = assertThrows(ProtocolException.class, () -> connector.openSsh(host).close());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.err.println("[refused after " + ms + " ms] " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(ms < 15_000, "answered in " + ms + " ms, not hung");
        return e.getMessage();
    }

    @Test
    void sudoThatWantsAPasswordIsReportedPlainlyNotHungOn() throws Exception {
        assumeTrue(usersMade, "needs sudo and useradd");
        String message = refusal(connector(sshd), PASSWORD_USER + "@127.0.0.1:" + sshd.port());
        assertTrue(message.contains("password is required") && message.contains(PASSWORD_USER), message);
    }

    @Test
    void passwordlessSudoForJavaRunsTheAgentAsRoot() throws Exception {
        assumeTrue(usersMade, "needs sudo and useradd");
        try (SshAgentLink link = connector(sshd).openSsh(NOPASSWD_USER + "@127.0.0.1:" + sshd.port())) {
            assertTrue(link.agentJarPath().startsWith(USERS.home(NOPASSWD_USER).toString()), link.agentJarPath());
            HelloResult hello = link.call(new Request.Hello(), HelloResult.class, Duration.ofSeconds(30));
            assertTrue(hello.version() >= 1);
        }
    }

    /**
     * {@code hotsnap doctor} over SSH: the reachable host (its user may sudo java) is checked by its own agent (with the clock
     * measured over the link), and a host that cannot take the agent (sudo wants a password there) is
     * one failing line that says why.
     */
    @Test
    void doctorChecksAHostOverSshAndNamesWhyAHostCannotTakeTheAgent() throws Exception {
        assumeTrue(usersMade, "needs sudo and useradd");
        String good = NOPASSWD_USER + "@127.0.0.1:" + sshd.port();
        String noAgent = PASSWORD_USER + "@127.0.0.1:" + sshd.port();
        SshAgentConnector connector = connector(sshd);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HotsnapCli cli = new HotsnapCli(new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), System.err), connector::open);

        int code = cli.run(List.of("doctor", "--hosts", good + "," + noAgent, "--json"));

        System.err.println("[hotsnap doctor over SSH]\n" + out.toString(StandardCharsets.UTF_8));
        assertEquals(ExitCode.FAILED.code(), code, "a host that cannot take the agent fails the check");
        JsonNode hosts = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("hosts");
        assertEquals(good, hosts.path(0).path("host").asText());
        List<String> checks = new ArrayList<>();
        hosts.path(0).path("checks").forEach(c -> checks.add(c.path("check").asText() + "=" + c.path("status").asText()));
        assertTrue(checks.contains("Java=ok") && checks.stream().anyMatch(c -> c.startsWith("clock offset=")), checks.toString());
        JsonNode lacking = hosts.path(1).path("checks");
        assertEquals(1, lacking.size(), lacking.toString());
        assertEquals("fail", lacking.path(0).path("status").asText());
        assertTrue(lacking.path(0).path("detail").asText().contains("password is required"), lacking.toString());
    }
}
