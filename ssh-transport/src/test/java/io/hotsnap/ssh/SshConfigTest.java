package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigTest {

    @TempDir
    Path dir;

    private SshConfig load(String... lines) throws Exception {
        Path file = dir.resolve("config");
        Files.write(file, List.of(lines));
        return SshConfig.load(file, dir, "alice", Duration.ofSeconds(10));
    }

    @Test
    void aliasTakesHostNameUserPortKeysAndKnownHostsFromTheConfig() throws Exception {
        SshConfig config = load(
                "Host kvm1",
                "  HostName 10.70.0.2",
                "  User root",
                "  Port 2200",
                "  IdentityFile ~/keys/kvm",
                "  UserKnownHostsFile ~/kh1 /etc/kh2",
                "  StrictHostKeyChecking accept-new",
                "  ServerAliveInterval 2",
                "  ServerAliveCountMax 4",
                "  ProxyJump bastion");

        SshHostConfig h = config.resolve("kvm1");

        assertEquals("10.70.0.2", h.hostName());
        assertEquals("root", h.user());
        assertEquals(2200, h.port());
        assertEquals(List.of(dir.resolve("keys/kvm")), h.identityFiles());
        assertEquals(List.of(dir.resolve("kh1"), Path.of("/etc/kh2")), h.knownHostsFiles());
        assertEquals(HostKeyPolicy.ACCEPT_NEW, h.hostKeyPolicy());
        assertEquals(Duration.ofSeconds(2), h.serverAliveInterval());
        assertEquals(4, h.serverAliveCountMax());
        assertEquals("bastion", h.proxyJump());
        assertTrue(h.fromConfig());
        assertEquals("[10.70.0.2]:2200", h.knownHostsName());
    }

    @Test
    void whatIsTypedWinsOverTheConfig() throws Exception {
        SshHostConfig h = load("Host kvm1", "  HostName 10.70.0.2", "  User root", "  Port 2200").resolve("admin@kvm1:2222");
        assertEquals("admin", h.user());
        assertEquals(2222, h.port());
    }

    @Test
    void plainHostGetsOpenSshDefaultsAndOurKeepalive() throws Exception {
        Files.createDirectories(dir.resolve(".ssh"));
        Files.writeString(dir.resolve(".ssh/id_ed25519"), "not read here");
        SshHostConfig h = load("Host other", "  User bob").resolve("10.0.0.9");

        assertEquals("alice", h.user());
        assertEquals(22, h.port());
        assertEquals("10.0.0.9", h.knownHostsName());
        assertEquals(List.of(dir.resolve(".ssh/id_ed25519")), h.identityFiles());
        assertEquals(List.of(dir.resolve(".ssh/known_hosts")), h.knownHostsFiles());
        assertEquals(List.of(Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2")), h.globalKnownHostsFiles());
        assertFalse(h.hashKnownHosts());
        assertEquals(HostKeyPolicy.ASK, h.hostKeyPolicy());
        assertEquals(SshConfig.DEFAULT_ALIVE_INTERVAL, h.serverAliveInterval());
        assertNull(h.proxyJump());
        assertFalse(h.fromConfig());
    }

    @Test
    void globalKnownHostsFilesAndHashKnownHostsComeFromTheConfig() throws Exception {
        SshHostConfig h = load("Host *", "  GlobalKnownHostsFile /srv/site_known_hosts ~/kh", "  HashKnownHosts yes").resolve("h");

        assertEquals(List.of(Path.of("/srv/site_known_hosts"), dir.resolve("kh")), h.globalKnownHostsFiles());
        assertTrue(h.hashKnownHosts());
    }

    @Test
    void strictHostKeyCheckingValuesMapToPolicies() throws Exception {
        assertEquals(HostKeyPolicy.STRICT, load("Host *", "  StrictHostKeyChecking yes").resolve("h").hostKeyPolicy());
        assertEquals(HostKeyPolicy.ACCEPT_NEW, load("Host *", "  StrictHostKeyChecking no").resolve("h").hostKeyPolicy());
        assertEquals(HostKeyPolicy.ASK, load("Host *", "  StrictHostKeyChecking ask").resolve("h").hostKeyPolicy());
        assertThrows(IllegalArgumentException.class, () -> load("Host *", "  StrictHostKeyChecking maybe").resolve("h"));
    }

    @Test
    void namedConfigFileMustExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SshConfig.load(dir.resolve("missing"), dir, "alice", Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void noConfigFileAtAllStillResolvesWithDefaults() {
        SshHostConfig h = SshConfig.load(null, dir, "alice", Duration.ofSeconds(10)).resolve("root@10.0.0.9:2200");
        assertEquals("root", h.user());
        assertEquals(2200, h.port());
        assertEquals(List.of(), h.identityFiles());
        assertEquals(HostKeyPolicy.ASK, h.hostKeyPolicy());
    }
}
