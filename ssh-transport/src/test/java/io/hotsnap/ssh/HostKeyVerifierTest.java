package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.HostKeyRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which known_hosts lines name a host, as OpenSSH reads them (hashed names, wildcards, negation, no port fallback). */
class HostKeyVerifierTest {

    private static final String HOST = "[10.0.0.5]:2222";

    @TempDir
    Path dir;
    String[] rsa;
    byte[] blob;

    @BeforeEach
    void hostKey() throws Exception {
        Path key = dir.resolve("host_rsa");
        Exec.check("ssh-keygen", "-q", "-t", "rsa", "-N", "", "-f", key.toString());
        rsa = Files.readString(ClientFiles.pub(key)).strip().split("\\s+");
        blob = Base64.getDecoder().decode(rsa[1]);
    }

    private HostKeyVerifier verifier(String... lines) throws Exception {
        Path known = dir.resolve("known_hosts");
        Files.write(known, List.of(lines));
        SshHostConfig host = new SshHostConfig("h", "root", "10.0.0.5", 2222, List.of(), false, List.of(known), List.of(), false,
                HostKeyPolicy.STRICT, null, Duration.ofSeconds(3), 3, Duration.ofSeconds(10), null, false);
        return new HostKeyVerifier(host, SshPrompts.none());
    }

    private String line() {
        return rsa[0] + " " + rsa[1];
    }

    @Test
    void revokedByAWildcardLineIsRefusedThoughListedByName() throws Exception {
        HostKeyVerifier v = verifier(HOST + " " + line(), "@revoked * " + line());
        assertEquals(HostKeyRepository.CHANGED, v.check(HOST, blob));
        assertTrue(v.refusal().orElseThrow().contains("IS REVOKED"));
    }

    @Test
    void hashedAndWildcardNamesAreMatchedAndNegationWins() throws Exception {
        assertEquals(HostKeyRepository.OK, verifier(KnownHostsFile.hashedName(HOST) + " " + line()).check(HOST, blob));
        assertEquals(HostKeyRepository.OK, verifier("[10.0.0.?]:2222 " + line()).check(HOST, blob));
        assertEquals(HostKeyRepository.NOT_INCLUDED, verifier("[10.0.0.*]:2222,!" + HOST + " " + line()).check(HOST, blob));
    }

    /** OpenSSH looks a host on another port up under [host]:port only: the port-22 key of the address is not its key. */
    @Test
    void keyKnownForPort22IsNotTakenForAnotherPort() throws Exception {
        assertEquals(HostKeyRepository.NOT_INCLUDED, verifier("10.0.0.5 " + line()).check(HOST, blob));
    }
}
