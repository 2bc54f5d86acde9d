package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class HostKeyFingerprintTest {

    /** A real ed25519 public key and the fingerprint {@code ssh-keygen -l -E sha256} prints for it. */
    private static final String KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    @Test
    void typeAndFingerprintAsOpenSshShowsThem() {
        byte[] blob = Base64.getDecoder().decode(KEY);
        assertEquals("ssh-ed25519", HostKeyFingerprint.keyType(blob));
        assertEquals(EXPECTED, HostKeyFingerprint.sha256(blob));
    }

    private static final String EXPECTED = "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU";
}
