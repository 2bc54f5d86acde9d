package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class HostProbeTest {

    @Test
    void javaMajorVersionFromEitherNumberingScheme() {
        assertEquals(OptionalInt.of(17), JavaVersion.major("openjdk version \"17.0.15\" 2025-04-15"));
        assertEquals(OptionalInt.of(21), JavaVersion.major("openjdk version \"21\" 2023-09-19"));
        assertEquals(OptionalInt.of(8), JavaVersion.major("java version \"1.8.0_392\""));
        assertEquals(OptionalInt.empty(), JavaVersion.major(""));
    }

    @Test
    void rootWithJavaAndACachedJar() {
        HostProbe p = HostProbe.parse("uid=0\nhome=/root\njava=openjdk version \"17.0.15\" 2025-04-15\njar=abc\n");
        assertTrue(p.root());
        assertTrue(p.canBecomeRoot());
        assertEquals("/root", p.home());
        assertEquals(OptionalInt.of(17), p.javaMajor());
        assertEquals("abc", p.cachedSha());
    }

    @Test
    void userWhoseSudoWantsAPasswordCannotBecomeRoot() {
        HostProbe p = HostProbe.parse("uid=1000\nhome=/home/a\nsudo=sudo: a password is required\n");
        assertFalse(p.canBecomeRoot());
        assertEquals("sudo: a password is required", p.sudo());
        assertEquals("", p.cachedSha());
    }
}
