package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent deployed and started for sudo users whose login shell is dash, zsh, tcsh or fish, and
 * for one (bash) whose PATH and sudo's secure_path have no java, so that only
 * {@code /usr/lib/jvm/*}{@code /bin/java} is there: one sshd, one user per case, made by this class
 * and removed after it. Prints each case's deploy + start time.
 */
class LoginShellsIT {

    private static final String NO_JAVA_USER = "hsshnojava";
    /** User and login shell. */
    private static final List<List<String>> LOGINS = List.of(List.of("hsshdash", "/bin/sh"), List.of("hsshzsh", "/usr/bin/zsh"),
            List.of("hsshtcsh", "/usr/bin/tcsh"), List.of("hsshfish", "/usr/bin/fish"), List.of(NO_JAVA_USER, "/bin/bash"));
    private static final TestUsers USERS = new TestUsers(Path.of("/var/tmp/hotsnap-sh-it"), Path.of("/etc/sudoers.d/hotsnap-sh-it"),
            LOGINS.stream().collect(Collectors.toMap(l -> l.get(0), l -> l.get(1))));

    @TempDir
    static Path dir;
    static Sshd sshd;
    static SshSettings settings;

    static Stream<Arguments> logins() {
        return LOGINS.stream().map(l -> Arguments.of(l.get(0), l.get(1)));
    }

    @BeforeAll
    static void start() throws Exception {
        Path bin = binWithoutJava();
        sshd = Sshd.start(dir.resolve("sshd"), "Match User " + NO_JAVA_USER, "  SetEnv PATH=" + bin);
        ClientFiles client = new ClientFiles(dir.resolve("client"));
        Files.createDirectories(client.dir);
        Path key = client.key("id_ed25519");
        StringBuilder rules = new StringBuilder("Defaults:" + NO_JAVA_USER + " secure_path=" + bin + "\n");
        for (List<String> login : LOGINS) {
            rules.append(login.get(0)).append(" ALL=(root) NOPASSWD: /usr/bin/java, ").append(HostProbe.JVM_GLOB).append('\n');
        }
        USERS.make(sshd, ClientFiles.pub(key), rules.toString(), dir);
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        settings = client.settings(client.config("config", "Host *", "  IdentityFile " + key, "  UserKnownHostsFile " + known));
    }

    /** Every command of /usr/bin but java, as a host whose JDK was never put on PATH has them. */
    private static Path binWithoutJava() throws Exception {
        Path bin = dir.resolve("bin-without-java");
        Files.createDirectories(bin);
        try (Stream<Path> tools = Files.list(Path.of("/usr/bin"))) {
            for (Path tool : tools.filter(t -> !t.getFileName().toString().equals("java")).toList()) {
                Files.createSymbolicLink(bin.resolve(tool.getFileName()), tool);
            }
        }
        return bin;
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        USERS.remove();
    }

    @ParameterizedTest(name = "{0} with login shell {1}")
    @MethodSource("logins")
    void agentIsDeployedAndStartedWhateverTheLoginShell(String user, String shell) throws Exception {
        String host = user + "@127.0.0.1:" + sshd.port();
        HostProbe probe = probe(host);
        assertTrue(probe.uid() > 0 && probe.sudo().equals("ok"), "logged in as " + user + ", root through sudo: " + probe);
        assertTrue(probe.javaProblem().isEmpty(), probe.toString());
        if (user.equals(NO_JAVA_USER)) {
            assertTrue(probe.javaCommand().startsWith("/usr/lib/jvm/"), "java found under /usr/lib/jvm: " + probe.javaCommand());
        } else {
            assertEquals("java", probe.javaCommand(), "the java on sudo's PATH comes first");
        }
        long t0 = System.nanoTime();
        try (SshAgentLink link = new SshAgentConnector(settings, SshPrompts.none()).openSsh(host)) {
            HelloResult hello = link.call(new Request.Hello(), HelloResult.class, Duration.ofSeconds(30));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.err.printf("[figure] login shell %s (%s, java %s): probe + jar copy + agent start + hello %d ms%n",
                    shell, user, probe.javaCommand(), ms);
            assertTrue(link.agentJarUploaded(), "the jar was copied into " + user + "'s fresh home");
            assertTrue(link.agentJarPath().startsWith(USERS.home(user).toString()), link.agentJarPath());
            assertTrue(hello.version() >= 1);
        }
    }

    private static HostProbe probe(String host) throws Exception {
        SshSessionOpener opener = new SshSessionOpener(SshConfig.load(settings.configFile(), settings.home(), "root",
                settings.timeouts().connect()), SshPrompts.none(), null, h -> Optional.empty());
        try (SshConnection connection = opener.open(host)) {
            return HostProbe.run(connection, AgentJar.bundled().remoteRelativePath(), settings.timeouts().command());
        }
    }
}
