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
        HostProbe p = HostProbe.parse("uid=0\nhome=/root\njavacmd=java\njava=openjdk version \"17.0.15\" 2025-04-15\njar=abc\n");
        assertTrue(p.root());
        assertTrue(p.canBecomeRoot());
        assertEquals("/root", p.home());
        assertEquals(OptionalInt.of(17), p.javaMajor());
        assertEquals("java", p.javaCommand());
        assertTrue(p.javaProblem().isEmpty());
        assertEquals("abc", p.cachedSha());
    }

    @Test
    void javaFoundOnlyUnderUsrLibJvmIsRunByItsPath() {
        HostProbe p = HostProbe.parse("uid=1000\nhome=/home/a\nsudo=ok\njavacmd=/usr/lib/jvm/java-17-openjdk-amd64/bin/java\n"
                + "java=openjdk version \"17.0.15\" 2025-04-15\n");
        assertTrue(p.javaProblem().isEmpty());
        assertTrue(AgentLaunch.command(p, "/home/a/agent.jar", "abc")
                .contains("exec sudo -n '/usr/lib/jvm/java-17-openjdk-amd64/bin/java' -XX:+DisplayVMOutputToStderr"));
    }

    @Test
    void noJavaAnywhereIsOneLineNamingWhereItLookedAndWhatToInstall() {
        String problem = HostProbe.parse("uid=0\nhome=/root\n").javaProblem().orElseThrow();
        assertFalse(problem.contains("\n"), problem);
        assertTrue(problem.contains("on PATH nor in /usr/lib/jvm/*/bin/java") && problem.contains("openjdk-17-jre-headless"), problem);
    }

    @Test
    void onlyAnOldJavaIsNamedWithItsVersion() {
        String problem = HostProbe.parse("uid=0\nhome=/root\njavacmd=/usr/lib/jvm/java-11-openjdk-amd64/bin/java\n"
                + "java=openjdk version \"11.0.2\" 2019-01-15\n").javaProblem().orElseThrow();
        assertTrue(problem.contains("too old") && problem.contains("java-11-openjdk-amd64") && problem.contains("17+"), problem);
    }

    @Test
    void userWhoseSudoWantsAPasswordCannotBecomeRoot() {
        HostProbe p = HostProbe.parse("uid=1000\nhome=/home/a\nsudo=sudo: a password is required\n");
        assertFalse(p.canBecomeRoot());
        assertEquals("sudo: a password is required", p.sudo());
        assertEquals("", p.cachedSha());
    }
}
