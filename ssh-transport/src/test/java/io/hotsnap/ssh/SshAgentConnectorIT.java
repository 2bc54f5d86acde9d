package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.PingResult;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH transport against a real OpenSSH sshd on 127.0.0.1: the real agent jar deployed by SFTP
 * and run as root in an exec channel, and every way a connection can be refused, each as one line.
 */
class SshAgentConnectorIT {

    private static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    static Path sshdDir;
    static Sshd sshd;

    @TempDir
    Path clientDir;
    ClientFiles client;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = Sshd.start(sshdDir);
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    /** A config with one alias, {@code target}, for root on the test sshd with {@code key}, plus extra lines for it. */
    private Path config(Path key, Path knownHosts, String... extra) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "Host target",
                "  HostName 127.0.0.1",
                "  Port " + sshd.port(),
                "  User root"));
        lines.addAll(Arrays.stream(extra).map(l -> "  " + l).toList());
        lines.addAll(List.of(
                "Host *",
                "  IdentityFile " + key,
                "  UserKnownHostsFile " + knownHosts));
        return client.config("config", lines.toArray(String[]::new));
    }

    private SshAgentConnector trustingConnector(String... extra) throws Exception {
        Path key = authorizedKey();
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        return new SshAgentConnector(client.settings(config(key, known, extra)), SshPrompts.none());
    }

    private static String refusal(SshAgentConnector connector, String host) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> connector.openSsh(host).close());
        System.err.println("[refused] " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void helloThroughTheRealAgentCopiedBySftpOnceAndNotAgain() throws Exception {
        SshAgentConnector connector = trustingConnector();
        AgentJar jar = AgentJar.bundled();
        Files.deleteIfExists(Path.of("/root").resolve(jar.remoteRelativePath()));

        try (SshAgentLink first = connector.openSsh("target")) {
            assertTrue(first.agentJarUploaded(), "first connect copies the jar");
            assertEquals("/root/.cache/hotsnap/agent-" + jar.sha256() + ".jar", first.agentJarPath());
            HelloResult hello = first.call(new Request.Hello(), HelloResult.class, CALL);
            assertTrue(hello.version() >= 1, hello.toString());
            System.err.printf("[ssh] hello from %s: %s%n", first.hostName(), hello);
            printRtt(first);
        }
        try (SshAgentLink second = connector.openSsh("root@127.0.0.1:" + sshd.port())) {
            assertFalse(second.agentJarUploaded(), "the same jar is not copied again");
            assertEquals("root@127.0.0.1:" + sshd.port(), second.hostName());
            second.call(new Request.Hello(), HelloResult.class, CALL);
        }
        assertEquals(jar.sha256(), Exec.check("sha256sum", "/root/" + jar.remoteRelativePath()).split("\\s+")[0]);
    }

    @Test
    void aHostWithoutTheSftpSubsystemGetsTheAgentJarThroughAnExecChannel(@TempDir Path hardened) throws Exception {
        client = new ClientFiles(clientDir);
        Path key = client.key("id_ed25519");
        AgentJar jar = AgentJar.bundled();
        Path onHost = Path.of("/root").resolve(jar.remoteRelativePath());
        Files.deleteIfExists(onHost);
        try (Sshd noSftp = Sshd.withoutSftp(hardened)) {
            noSftp.authorize("root", ClientFiles.pub(key));
            Path config = client.config("config-nosftp", "Host hardened", "  HostName 127.0.0.1", "  Port " + noSftp.port(), "  User root",
                    "  IdentityFile " + key, "  UserKnownHostsFile " + client.knownHosts("known_hosts_nosftp", noSftp.knownHostsLine()));
            try (SshAgentLink link = new SshAgentConnector(client.settings(config), SshPrompts.none()).openSsh("hardened")) {
                assertTrue(link.agentJarUploaded(), "copied although the host has no SFTP");
                link.call(new Request.Hello(), HelloResult.class, CALL);
            }
            assertTrue(noSftp.log().stream().anyMatch(l -> l.contains("subsystem request for sftp") && l.contains("failed")),
                    "the host refused SFTP: " + noSftp.log());
        }
        assertEquals(jar.sha256(), Exec.check("sha256sum", onHost.toString()).split("\\s+")[0]);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(onHost)), "the jar is the user's only");
        try (var left = Files.list(onHost.getParent())) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().contains(".part-")), "no temporary copy left");
        }
    }

    /** The price of the SSH hop: ping round trips through sshd and through the local child agent, interleaved. */
    @Test
    void pingRoundTripThroughSshAndThroughTheLocalAgent() throws Exception {
        SshAgentConnector connector = trustingConnector();
        try (SshAgentLink ssh = connector.openSsh("target");
             io.hotsnap.coordinator.AgentLink local = connector.open(io.hotsnap.coordinator.LocalAgentLink.HOST_NAME)) {
            ssh.call(new Request.Hello(), HelloResult.class, CALL);
            local.call(new Request.Hello(), HelloResult.class, CALL);
            List<Double> viaSsh = new ArrayList<>();
            List<Double> viaLocal = new ArrayList<>();
            for (int i = 0; i < 51; i++) {
                viaSsh.add(rtt(ssh));
                viaLocal.add(rtt(local));
            }
            System.err.printf(java.util.Locale.ROOT, "[ssh] ping RTT median of 51: ssh %.2f ms, local %.2f ms%n", median(viaSsh),
                    median(viaLocal));
        }
    }

    private static double rtt(io.hotsnap.coordinator.AgentLink link) {
        long t0 = System.nanoTime();
        link.call(new Request.Ping(), PingResult.class, CALL);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    /** Round trips of ping through sshd (the figure the cluster protocol's barriers pay per step). */
    private static void printRtt(SshAgentLink link) {
        List<Double> rtts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t0 = System.nanoTime();
            link.call(new Request.Ping(), PingResult.class, CALL);
            rtts.add((System.nanoTime() - t0) / 1e6);
        }
        List<Double> sorted = rtts.stream().sorted().toList();
        System.err.printf("[ssh] ping RTT over ssh: median %.2f ms, min %.2f ms, max %.2f ms%n", sorted.get(15), sorted.get(0),
                sorted.get(29));
    }

    @Test
    void hashedKnownHostsEntryIsHonoured() throws Exception {
        SshAgentConnector connector = trustingConnector("StrictHostKeyChecking yes");
        Exec.check("ssh-keygen", "-H", "-f", clientDir.resolve("known_hosts").toString());
        assertTrue(Files.readString(clientDir.resolve("known_hosts")).startsWith("|1|"), "hashed");
        try (SshAgentLink link = connector.openSsh("target")) {
            link.call(new Request.Hello(), HelloResult.class, CALL);
        }
    }

    @Test
    void unknownHostKeyIsRefusedWithoutATerminalShowingItsSha256Fingerprint() throws Exception {
        Path key = authorizedKey();
        Path known = clientDir.resolve("known_hosts");
        SshAgentConnector connector = new SshAgentConnector(client.settings(config(key, known)), SshPrompts.none());

        String message = refusal(connector, "target");

        assertTrue(message.contains(sshd.fingerprint()), message);
        assertTrue(message.contains("[127.0.0.1]:" + sshd.port()), message);
        assertFalse(Files.exists(known), "nothing written to known_hosts");
    }

    @Test
    void strictHostKeyCheckingYesRefusesAnUnknownKeyEvenWithSomeoneToAsk() throws Exception {
        Path key = authorizedKey();
        RecordingPrompts prompts = new RecordingPrompts(true, null);
        SshAgentConnector connector = new SshAgentConnector(
                client.settings(config(key, clientDir.resolve("known_hosts"), "StrictHostKeyChecking yes")), prompts);

        assertTrue(refusal(connector, "target").contains(sshd.fingerprint()));
        assertTrue(prompts.asked.isEmpty(), "not asked");
    }

    @Test
    void userWhoAcceptsTheShownFingerprintConnectsAndTheKeyIsRemembered() throws Exception {
        Path key = authorizedKey();
        Path known = clientDir.resolve("known_hosts");
        RecordingPrompts prompts = new RecordingPrompts(true, null);
        SshAgentConnector connector = new SshAgentConnector(client.settings(config(key, known)), prompts);

        try (SshAgentLink link = connector.openSsh("target")) {
            link.call(new Request.Hello(), HelloResult.class, CALL);
        }
        assertEquals(1, prompts.asked.size());
        assertEquals(sshd.fingerprint(), prompts.asked.get(0).fingerprint());
        assertEquals("[127.0.0.1]:" + sshd.port(), prompts.asked.get(0).host());
        // Remembered: OpenSSH's own tool finds it, and the next connection asks nothing.
        Exec.check("ssh-keygen", "-F", "[127.0.0.1]:" + sshd.port(), "-f", known.toString());
        try (SshAgentLink again = connector.openSsh("target")) {
            again.call(new Request.Hello(), HelloResult.class, CALL);
        }
        assertEquals(1, prompts.asked.size());
    }

    @Test
    void userWhoDeclinesTheKeyIsNotConnected() throws Exception {
        Path key = authorizedKey();
        Path known = clientDir.resolve("known_hosts");
        SshAgentConnector connector = new SshAgentConnector(client.settings(config(key, known)), new RecordingPrompts(false, null));

        assertTrue(refusal(connector, "target").contains(sshd.fingerprint()));
        assertFalse(Files.exists(known));
    }

    @Test
    void acceptNewWritesTheKeyToKnownHostsWithoutAsking() throws Exception {
        Path key = authorizedKey();
        Path known = clientDir.resolve("ssh/known_hosts");
        RecordingPrompts prompts = new RecordingPrompts(false, null);
        SshAgentConnector connector = new SshAgentConnector(
                client.settings(config(key, known, "StrictHostKeyChecking accept-new")), prompts);

        try (SshAgentLink link = connector.openSsh("target")) {
            link.call(new Request.Hello(), HelloResult.class, CALL);
        }
        assertTrue(prompts.asked.isEmpty());
        assertEquals(sshd.knownHostsLine(), Files.readString(known).strip());
    }

    @Test
    void changedHostKeyIsRefusedLoudlyNamingTheHostWhateverTheConfigSays() throws Exception {
        Path key = authorizedKey();
        Path impostor = client.key("impostor_host_key");
        String[] pub = Files.readString(ClientFiles.pub(impostor)).strip().split("\\s+");
        Path known = client.knownHosts("known_hosts", "[127.0.0.1]:" + sshd.port() + " " + pub[0] + " " + pub[1]);
        String before = Files.readString(known);
        RecordingPrompts prompts = new RecordingPrompts(true, null);
        SshAgentConnector connector = new SshAgentConnector(
                client.settings(config(key, known, "StrictHostKeyChecking accept-new")), prompts);

        String message = refusal(connector, "target");

        assertTrue(message.contains("HAS CHANGED"), message);
        assertTrue(message.contains("[127.0.0.1]:" + sshd.port()) && message.contains("target"), message);
        assertTrue(message.contains(sshd.fingerprint()), message);
        assertEquals(before, Files.readString(known), "known_hosts untouched");
        assertTrue(prompts.asked.isEmpty(), "a changed key is never offered for acceptance");
    }

    @Test
    void keyTheHostDoesNotKnowIsRefused() throws Exception {
        client = new ClientFiles(clientDir);
        Path stranger = client.key("stranger");
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        SshAgentConnector connector = new SshAgentConnector(client.settings(config(stranger, known)), SshPrompts.none());

        String message = refusal(connector, "target");

        assertTrue(message.contains("refused every key") && message.contains(stranger.toString()), message);
    }

    @Test
    void keyChosenForTheHostIsOfferedInsteadOfTheConfigsKeys() throws Exception {
        Path chosen = authorizedKey();
        Path stranger = client.key("stranger");
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        SshAgentConnector connector = new SshAgentConnector(client.settings(config(stranger, known)), SshPrompts.none(),
                host -> host.equals("target") ? Optional.of(chosen) : Optional.empty());

        try (SshAgentLink link = connector.openSsh("target")) {
            assertEquals("target", link.hostName());
        }
        assertTrue(refusal(new SshAgentConnector(client.settings(config(stranger, known)), SshPrompts.none()), "target")
                .contains("refused every key"), "without the choice the config's (unauthorised) key is all there is");
    }

    @Test
    void encryptedKeyIsUnlockedWithThePassphraseAskedThroughThePrompt() throws Exception {
        client = new ClientFiles(clientDir);
        Path key = client.key("id_locked", "correct horse");
        sshd.authorize("root", ClientFiles.pub(key));
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        RecordingPrompts prompts = new RecordingPrompts(false, "correct horse");
        SshAgentConnector connector = new SshAgentConnector(client.settings(config(key, known)), prompts);

        try (SshAgentLink link = connector.openSsh("target")) {
            link.call(new Request.Hello(), HelloResult.class, CALL);
        }
        assertEquals(List.of(key.toString()), prompts.passphrasesAsked);
    }

    @Test
    void encryptedKeyWithNobodyToAskSaysToUseSshAgent() throws Exception {
        client = new ClientFiles(clientDir);
        Path key = client.key("id_locked", "correct horse");
        sshd.authorize("root", ClientFiles.pub(key));
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        SshAgentConnector connector = new SshAgentConnector(client.settings(config(key, known)), SshPrompts.none());

        String message = refusal(connector, "target");

        assertTrue(message.contains("encrypted") && message.contains("ssh-add"), message);
    }

    @Test
    void keyHeldBySshAgentIsUsed() throws Exception {
        client = new ClientFiles(clientDir);
        Path key = client.key("id_in_agent", "agent only");
        sshd.authorize("root", ClientFiles.pub(key));
        Path known = client.knownHosts("known_hosts", sshd.knownHostsLine());
        Path socket = clientDir.resolve("agent.sock");
        String started = Exec.check("ssh-agent", "-a", socket.toString(), "-s");
        String pid = started.replaceAll("(?s).*SSH_AGENT_PID=(\\d+).*", "$1");
        try {
            Process add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true).start();
            add.getOutputStream().close();
            // ssh-add asks for the passphrase on SSH_ASKPASS when there is no terminal.
            Path askpass = client.config("askpass.sh", "#!/bin/sh", "echo 'agent only'");
            askpass.toFile().setExecutable(true);
            Exec.check(java.util.Map.of("SSH_AUTH_SOCK", socket.toString(), "SSH_ASKPASS", askpass.toString(),
                    "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0"), "ssh-add", key.toString());
            add.destroy();
            // No IdentityFile: only the agent can authenticate.
            Path config = client.config("config", "Host target", "  HostName 127.0.0.1", "  Port " + sshd.port(), "  User root",
                    "  UserKnownHostsFile " + known);
            SshAgentConnector connector = new SshAgentConnector(client.settings(config).withAgentSocket(socket), SshPrompts.none());
            try (SshAgentLink link = connector.openSsh("target")) {
                link.call(new Request.Hello(), HelloResult.class, CALL);
            }
        } finally {
            Exec.run("kill", pid);
        }
    }

    @Test
    void proxyJumpReachesTheHostThroughAJumpHost() throws Exception {
        SshAgentConnector connector = trustingConnector("ProxyJump root@127.0.0.1:" + sshd.port());
        try (SshAgentLink link = connector.openSsh("target")) {
            link.call(new Request.Hello(), HelloResult.class, CALL);
        }
    }

    @Test
    void unknownAliasIsAOneLineError() throws Exception {
        SshAgentConnector connector = trustingConnector();
        String message = refusal(connector, "no-such-alias.invalid");
        assertTrue(message.contains("unknown host") && message.contains("alias"), message);
    }

    @Test
    void closedPortIsAClearErrorWithinSeconds() throws Exception {
        SshAgentConnector connector = trustingConnector();
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        String message = refusal(connector, "root@127.0.0.1:" + closed);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(message.contains("connection refused"), message);
        assertTrue(ms < 5000, ms + " ms");
    }

    @Test
    void droppedConnectionIsReportedAsLinkLostWithinSeconds() throws Exception {
        SshAgentConnector connector = trustingConnector();
        try (SshAgentLink link = connector.openSsh("target")) {
            link.call(new Request.Hello(), HelloResult.class, CALL);
            List<ProcessHandle> sessions = sshd.sessionProcesses();
            assertFalse(sessions.isEmpty(), "sshd forked a session");

            long t0 = System.nanoTime();
            sessions.forEach(ProcessHandle::destroyForcibly);
            ExecutionException lost = assertThrows(ExecutionException.class, () -> link.closedFuture().get(10, TimeUnit.SECONDS));
            long ms = (System.nanoTime() - t0) / 1_000_000;

            System.err.println("[ssh] link lost after " + ms + " ms: " + lost.getCause().getMessage());
            assertTrue(lost.getCause() instanceof ProtocolException p && p.code().equals(ProtocolException.LINK_LOST), lost.toString());
            assertTrue(ms < 5000, ms + " ms");
            ExecutionException afterwards = assertThrows(ExecutionException.class,
                    () -> link.request(new Request.Ping(), CALL).get(5, TimeUnit.SECONDS));
            assertEquals(ProtocolException.LINK_LOST, ((ProtocolException) afterwards.getCause()).code());
        }
    }

    @Test
    void silentlyDeadHostIsNoticedByKeepalivesWithinSeconds() throws Exception {
        SshAgentConnector connector = trustingConnector("ServerAliveInterval 1", "ServerAliveCountMax 2");
        try (SshAgentLink link = connector.openSsh("target")) {
            link.call(new Request.Hello(), HelloResult.class, CALL);
            List<ProcessHandle> sessions = sshd.sessionProcesses();
            // SIGSTOP: the connection stays open but nothing answers, as with a host that froze or a cable pulled.
            long t0 = System.nanoTime();
            sessions.forEach(p -> signal("STOP", p));
            try {
                ExecutionException lost = assertThrows(ExecutionException.class, () -> link.closedFuture().get(20, TimeUnit.SECONDS));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.err.println("[ssh] silent host noticed after " + ms + " ms: " + lost.getCause().getMessage());
                assertEquals(ProtocolException.LINK_LOST, ((ProtocolException) lost.getCause()).code());
                assertTrue(ms < 8000, ms + " ms");
            } finally {
                sessions.forEach(p -> signal("CONT", p));
                sessions.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static void signal(String name, ProcessHandle process) {
        try {
            Exec.check("kill", "-" + name, String.valueOf(process.pid()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A fresh client directory with an ed25519 key that the test sshd lets in as root. */
    private Path authorizedKey() throws Exception {
        client = new ClientFiles(clientDir);
        Path key = client.key("id_ed25519");
        sshd.authorize("root", ClientFiles.pub(key));
        return key;
    }

    /** Prompts that answer as told and record what they were asked. */
    static final class RecordingPrompts implements SshPrompts {
        final List<NewHostKey> asked = new ArrayList<>();
        final List<String> passphrasesAsked = new ArrayList<>();
        private final boolean trust;
        private final String passphrase;

        RecordingPrompts(boolean trust, String passphrase) {
            this.trust = trust;
            this.passphrase = passphrase;
        }

        @Override
        public synchronized Optional<Boolean> trustNewHostKey(NewHostKey key) {
            asked.add(key);
            return Optional.of(trust);
        }

        @Override
        public synchronized Optional<char[]> passphrase(String keyName) {
            passphrasesAsked.add(keyName);
            return Optional.ofNullable(passphrase).map(String::toCharArray);
        }
    }
}
