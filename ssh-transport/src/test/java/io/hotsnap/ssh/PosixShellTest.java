package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wrapped script run by each real login shell the way sshd runs it ({@code SHELL -c LINE}):
 * every one of them must hand /bin/sh the script unchanged, quotes, newlines, backslashes, history
 * characters and exit statuses included (the dev role of setup-host.sh installs these shells).
 */
class PosixShellTest {

    private static final String SCRIPT = String.join("\n",
            "a='it'\\''s' && b=\"x\\\\y\"",
            "false || echo \"$a $b ! !! \\$HOME\" 2>/dev/null",
            "for w in 1 2; do printf '%s,' \"$w\"; done; echo",
            "exit 7");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/bin/sh", "/bin/bash", "/usr/bin/zsh", "/usr/bin/tcsh", "/usr/bin/fish"})
    void loginShellHandsTheScriptToShUnchanged(String shell) throws Exception {
        assertTrue(Files.isExecutable(Path.of(shell)), shell + " is missing: installers/setup-host.sh --role dev installs it");
        Process p = new ProcessBuilder(shell, "-c", PosixShell.command(SCRIPT)).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("it's x\\y ! !! $HOME\n1,2,\n", out, shell + " stderr: " + err);
        assertEquals(7, p.exitValue(), shell + " passes the script's exit status on");
    }
}
