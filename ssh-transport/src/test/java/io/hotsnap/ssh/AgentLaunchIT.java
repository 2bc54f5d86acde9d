package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent jar checked and started in one remote command, against a real sshd whose root session
 * has a home of this test's own ({@code SetEnv HOME}), so the shared {@code /root/.cache} is never
 * touched: a jar swapped after the probe checked it is not run, nor one whose directory others can
 * write.
 */
class AgentLaunchIT {

    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static Sshd sshd;
    static ClientFiles client;
    static Path home;
    static SshSettings settings;

    @BeforeAll
    static void start() throws Exception {
        home = dir.resolve("home");
        Files.createDirectories(home);
        sshd = Sshd.start(dir.resolve("sshd"), "SetEnv HOME=" + home);
        client = new ClientFiles(dir.resolve("client"));
        Files.createDirectories(client.dir);
        Path key = client.key("id_ed25519");
        sshd.authorize("root", ClientFiles.pub(key));
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        Path config = client.config("config", "Host target", "  HostName 127.0.0.1", "  Port " + sshd.port(), "  User root",
                "  IdentityFile " + key, "  UserKnownHostsFile " + known);
        settings = client.settings(config);
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    /** The agent jar deployed into the test's home by a first, ordinary connection; its path there. */
    private static Path deployed() {
        try (SshAgentLink link = new SshAgentConnector(settings, SshPrompts.none()).openSsh("target")) {
            link.call(new Request.Hello(), HelloResult.class, CALL);
            assertTrue(link.agentJarPath().startsWith(home.toString()), link.agentJarPath());
            return Path.of(link.agentJarPath());
        }
    }

    private static String refusal(SshAgentLink link) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> link.call(new Request.Hello(), HelloResult.class, CALL));
        System.err.println("[refused] " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void jarSwappedAfterItsChecksumWasCheckedIsNotRun() throws Exception {
        Path jarPath = deployed();
        AgentJar jar = AgentJar.bundled();
        SshSessionOpener opener = new SshSessionOpener(SshConfig.load(settings.configFile(), settings.home(), "root",
                settings.timeouts().connect()), SshPrompts.none(), null, host -> Optional.empty());
        SshConnection connection = opener.open("target");
        HostProbe probe = HostProbe.run(connection, jar.remoteRelativePath(), settings.timeouts().command());
        assertEquals(jar.sha256(), probe.cachedSha(), "the probe saw the right jar");
        // Someone who can write the cache swaps it now: a jar that still runs (a shell stub before the
        // real one, as self-running jars have), so if it were started it would answer.
        ByteArrayOutputStream swapped = new ByteArrayOutputStream();
        swapped.write("#!/bin/sh\n# not what was deployed\n".getBytes(StandardCharsets.US_ASCII));
        swapped.write(jar.bytes());
        Files.write(jarPath, swapped.toByteArray());

        try (SshAgentLink link = SshAgentLink.start("target", connection, AgentLaunch.command(probe, jarPath.toString(), jar.sha256()),
                new AgentDeployer.Deployment(jarPath.toString(), false, 0), settings.timeouts())) {
            String message = refusal(link);
            assertTrue(message.contains("checksum") && message.contains("changed after it was copied"), message);
            assertTrue(message.contains("exit status " + AgentLaunch.REFUSED), message);
        } finally {
            Files.delete(jarPath);
        }
    }

    @Test
    void jarInACacheOthersCanWriteIsNotRun() throws Exception {
        Path cache = deployed().getParent();
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (SshAgentLink link = new SshAgentConnector(settings, SshPrompts.none()).openSsh("target")) {
            assertFalse(link.agentJarUploaded());
            String message = refusal(link);
            assertTrue(message.contains(cache + " is writable by others") && message.contains("chmod go-w"), message);
        } finally {
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
