package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.ProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host keys judged as OpenSSH judges them, against a real sshd on 127.0.0.1 offering the key types
 * each test gives it: global known_hosts files, {@code @revoked}, {@code @cert-authority} (and a real
 * host certificate), a key of another type than the known one, {@code HashKnownHosts}. Only the SSH
 * session is opened (no agent), so each case costs a key exchange.
 */
class OpenSshHostKeyRulesIT {

    @TempDir
    Path dir;
    ClientFiles client;
    Path key;
    Path sshdDir;
    Sshd sshd;

    @BeforeEach
    void clientKey() throws Exception {
        client = new ClientFiles(dir.resolve("client"));
        Files.createDirectories(client.dir);
        key = client.key("id_ed25519");
        sshdDir = dir.resolve("sshd");
        Files.createDirectories(sshdDir);
    }

    @AfterEach
    void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    /** The test sshd, its config extended by {@code extra}, letting our key in as root. */
    private void startSshd(String... extra) throws Exception {
        sshd = Sshd.start(sshdDir, extra);
        sshd.authorize("root", ClientFiles.pub(key));
    }

    /** A host key of {@code type} for the test sshd (made before it starts), as {@code HostKey} lines name it. */
    private Path hostKey(String type) throws Exception {
        Path file = sshdDir.resolve("host_" + type);
        Exec.check("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test-host", "-f", file.toString());
        return file;
    }

    /** {@code [127.0.0.1]:PORT TYPE KEY} for a public key file, optionally with a marker first. */
    private String line(String marker, Path publicKey) throws Exception {
        String[] pub = Files.readString(publicKey).strip().split("\\s+");
        return (marker.isEmpty() ? "" : marker + " ") + "[127.0.0.1]:" + sshd.port() + " " + pub[0] + " " + pub[1];
    }

    private SshSessionOpener opener(SshPrompts prompts, Path userKnownHosts, Path globalKnownHosts, String... extra) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "Host target",
                "  HostName 127.0.0.1",
                "  Port " + sshd.port(),
                "  User root",
                "  IdentityFile " + key,
                "  UserKnownHostsFile " + userKnownHosts,
                "  GlobalKnownHostsFile " + globalKnownHosts));
        for (String l : extra) {
            lines.add("  " + l);
        }
        Path config = client.config("config", lines.toArray(String[]::new));
        return new SshSessionOpener(SshConfig.load(config, client.dir.resolve("home"), "root", Duration.ofSeconds(10)), prompts, null,
                host -> Optional.empty());
    }

    private static void connects(SshSessionOpener opener) {
        try (SshConnection connection = opener.open("target")) {
            assertTrue(connection.isConnected());
        }
    }

    private static String refusal(SshSessionOpener opener) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> opener.open("target").close());
        System.err.println("[refused] " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void globalKnownHostsFileIsReadBesideTheUsersOwn() throws Exception {
        startSshd();
        Path global = client.knownHosts("ssh_known_hosts", sshd.knownHostsLine());
        Path user = client.dir.resolve("known_hosts");

        connects(opener(SshPrompts.none(), user, global, "StrictHostKeyChecking yes"));

        assertFalse(Files.exists(user), "a key known globally is not copied to the user's file");
    }

    @Test
    void revokedRsaKeyIsRefusedEvenWhereItIsAlsoListedAsKnown() throws Exception {
        Path rsa = hostKey("rsa");
        startSshd("HostKey " + rsa, "HostKeyAlgorithms rsa-sha2-512,rsa-sha2-256");
        Path pub = ClientFiles.pub(rsa);
        String[] fields = Files.readString(pub).strip().split("\\s+");
        Path user = client.knownHosts("known_hosts", line("", pub), "@revoked * " + fields[0] + " " + fields[1]);

        String message = refusal(opener(SshPrompts.none(), user, client.dir.resolve("none"), "StrictHostKeyChecking yes"));

        assertTrue(message.contains("IS REVOKED") && message.contains(user.toString()), message);
    }

    @Test
    void keyRevokedInTheGlobalFileIsRefusedThoughTheUsersFileTrustsIt() throws Exception {
        startSshd();
        Path user = client.knownHosts("known_hosts", sshd.knownHostsLine());
        Path global = client.knownHosts("ssh_known_hosts", line("@revoked", sshd.hostKeyPub()));
        SshAgentConnectorIT.RecordingPrompts prompts = new SshAgentConnectorIT.RecordingPrompts(true, null);

        String message = refusal(opener(prompts, user, global, "StrictHostKeyChecking accept-new"));

        assertTrue(message.contains("IS REVOKED") && message.contains(global.toString()) && message.contains(sshd.fingerprint()), message);
        assertTrue(prompts.asked.isEmpty(), "a revoked key is never offered for acceptance");
    }

    @Test
    void knownHostOfferingAKeyOfAnotherTypeIsRefusedAsChangedNotOfferedAsNew() throws Exception {
        Path ecdsa = hostKey("ecdsa");
        // The host has lost (or hides) the ed25519 key we know, and offers only an ECDSA one.
        startSshd("HostKey " + ecdsa, "HostKeyAlgorithms ecdsa-sha2-nistp256");
        Path user = client.knownHosts("known_hosts", sshd.knownHostsLine());
        String before = Files.readString(user);
        SshAgentConnectorIT.RecordingPrompts prompts = new SshAgentConnectorIT.RecordingPrompts(true, null);

        String message = refusal(opener(prompts, user, client.dir.resolve("none"), "StrictHostKeyChecking accept-new"));

        assertTrue(message.contains("HAS CHANGED") && message.contains("ecdsa") && message.contains("ssh-ed25519 in " + user), message);
        assertTrue(prompts.asked.isEmpty(), "a changed key is never offered for acceptance");
        assertEquals(before, Files.readString(user), "known_hosts untouched");
    }

    /** OpenSSH asks a host first for the key types it knows for it, so a host with several keys is judged by the known one. */
    @Test
    void hostWithSeveralKeysIsAskedForTheTypeThatIsKnown() throws Exception {
        Path ecdsa = hostKey("ecdsa");
        startSshd("HostKey " + ecdsa);
        Path user = client.knownHosts("known_hosts", line("", ClientFiles.pub(ecdsa)));

        connects(opener(SshPrompts.none(), user, client.dir.resolve("none"), "StrictHostKeyChecking yes"));
    }

    @Test
    void hashKnownHostsYesWritesANewKeyHashedWhereSshKeygenFindsIt() throws Exception {
        startSshd();
        Path user = client.dir.resolve("known_hosts");
        String name = "[127.0.0.1]:" + sshd.port();

        connects(opener(SshPrompts.none(), user, client.dir.resolve("none"), "StrictHostKeyChecking accept-new", "HashKnownHosts yes"));

        String written = Files.readString(user);
        assertTrue(written.startsWith("|1|") && !written.contains("127.0.0.1"), written);
        String found = Exec.check("ssh-keygen", "-F", name, "-f", user.toString());
        assertTrue(found.contains(Files.readString(sshd.hostKeyPub()).split("\\s+")[1]), found);
        connects(opener(SshPrompts.none(), user, client.dir.resolve("none"), "StrictHostKeyChecking yes"));
    }

    @Test
    void certAuthorityLineDoesNotMakeAPlainHostKeyTrusted() throws Exception {
        startSshd();
        Path ca = client.key("host_ca");
        Path user = client.knownHosts("known_hosts", line("@cert-authority", ClientFiles.pub(ca)));
        String before = Files.readString(user);
        SshAgentConnectorIT.RecordingPrompts prompts = new SshAgentConnectorIT.RecordingPrompts(true, null);

        String message = refusal(opener(prompts, user, client.dir.resolve("none")));

        assertTrue(message.contains("@cert-authority") && message.contains("plain") && message.contains(sshd.fingerprint()), message);
        assertTrue(prompts.asked.isEmpty(), "not offered as a new host");
        assertEquals(before, Files.readString(user));
    }

    @Test
    void hostCertificateSignedByTheKnownAuthorityIsTrusted() throws Exception {
        Path ca = client.key("host_ca");
        Path hostKey = hostKey("ed25519");
        Exec.check("ssh-keygen", "-q", "-s", ca.toString(), "-h", "-I", "test-host", "-n", "127.0.0.1", ClientFiles.pub(hostKey).toString());
        startSshd("HostCertificate " + sshdDir.resolve("host_ed25519-cert.pub"));
        Path user = client.knownHosts("known_hosts", line("@cert-authority", ClientFiles.pub(ca)));

        connects(opener(SshPrompts.none(), user, client.dir.resolve("none"), "StrictHostKeyChecking yes"));
    }
}
