package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's launch command run by a real local {@code sh}, as sshd would run it: what it refuses
 * before java ever starts. The jar is not a real one, so a launch that gets as far as java ends in
 * java's own complaint about it, which tells "started" from "refused".
 */
class AgentLaunchTest {

    private static final HostProbe ROOT = new HostProbe(0, "/root", "", "java", "", "");

    @TempDir
    Path dir;
    Path cache;
    Path jar;
    AgentJar content;

    @BeforeEach
    void jar() throws Exception {
        cache = dir.resolve("cache");
        Files.createDirectories(cache);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        content = AgentJar.of("not really a jar".getBytes(StandardCharsets.US_ASCII));
        jar = cache.resolve("agent.jar");
        Files.write(jar, content.bytes());
    }

    private record Run(int status, String stderr) {
    }

    private Run launch(String sha256) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", AgentLaunch.command(ROOT, jar.toString(), sha256)).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), err);
    }

    @Test
    void jarThatHashesAsDeployedIsHandedToJava() throws Exception {
        Run run = launch(content.sha256());
        assertTrue(run.status() != AgentLaunch.REFUSED && run.stderr().contains("jarfile"), run.toString());
    }

    @Test
    void jarChangedSinceItWasCopiedIsNotStarted() throws Exception {
        Files.writeString(jar, "swapped");
        Run run = launch(content.sha256());
        assertEquals(AgentLaunch.REFUSED, run.status(), run.toString());
        assertTrue(run.stderr().startsWith("ERROR refusing to start the agent: ") && run.stderr().contains("checksum"), run.stderr());
    }

    @Test
    void jarInADirectoryOthersCanWriteIsNotStarted() throws Exception {
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run run = launch(content.sha256());
        assertEquals(AgentLaunch.REFUSED, run.status(), run.toString());
        assertTrue(run.stderr().contains(cache + " is writable by others"), run.stderr());
    }

    @Test
    void jarInADirectoryOfAnotherUserIsNotStarted() throws Exception {
        Exec.check("chown", "65534", cache.toString());
        Run run = launch(content.sha256());
        assertEquals(AgentLaunch.REFUSED, run.status(), run.toString());
        assertTrue(run.stderr().contains(cache + " belongs to uid 65534"), run.stderr());
    }

    /** A sticky directory such as /tmp lets nobody rename what is not theirs: a private directory under it is safe. */
    @Test
    void stickyWorldWritableDirectoryAboveAPrivateOneIsAccepted() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Exec.check("chmod", "+t", dir.toString());
        Run run = launch(content.sha256());
        assertTrue(run.status() != AgentLaunch.REFUSED, run.toString());
    }

    @Test
    void jarReachedThroughASymlinkIsCheckedWhereItReallyIs() throws Exception {
        Path open = dir.resolve("open");
        Files.createDirectories(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path real = open.resolve("agent.jar");
        Files.write(real, content.bytes());
        Files.delete(jar);
        Files.createSymbolicLink(jar, real);
        Run run = launch(content.sha256());
        assertEquals(AgentLaunch.REFUSED, run.status(), run.toString());
        assertTrue(run.stderr().contains(open + " is writable by others"), run.stderr());
    }
}
