package io.hotsnap.ssh;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A POSIX {@code sh} script as the one command line sshd hands to the user's login shell, whatever
 * that shell is. Quoting the script for the login shell is not enough: tcsh refuses a newline inside
 * quotes and fish reads backslashes inside single quotes. So the login shell sees only
 * {@code exec /bin/sh -c 'eval "$(printf %s BASE64 | base64 -d)"'}: letters, digits and a quoting
 * every one of sh, bash, dash, zsh, tcsh and fish reads the same way; {@code /bin/sh} decodes the
 * script and runs it.
 */
final class PosixShell {

    private PosixShell() {
    }

    static String command(String script) {
        String encoded = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
        return "exec /bin/sh -c 'eval \"$(printf %s " + encoded + " | base64 -d)\"'";
    }
}
