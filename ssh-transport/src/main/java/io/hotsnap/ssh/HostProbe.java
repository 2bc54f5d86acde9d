package io.hotsnap.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the agent needs from a host, learned in one round trip: who we are there, whether root is
 * reachable (directly or through {@code sudo -n}), which Java runs, and the checksum of the agent
 * jar if the cache already holds it (computed on the host).
 *
 * @param sudo      empty when we are root; {@code ok} when {@code sudo -n java} runs; otherwise sudo's own complaint
 * @param javaLine  the first line of {@code java -version}, empty when there is no java command
 * @param cachedSha the SHA-256 of the cached agent jar as the host computes it, empty when not cached
 */
record HostProbe(int uid, String home, String sudo, String javaLine, String cachedSha) {

    static final int MIN_JAVA = 17;

    static HostProbe run(SshConnection connection, String jarRelative, Duration timeout) throws IOException {
        // POSIX sh only, every answer on its own key=value line. Java is checked the way the agent
        // will run: through "sudo -n java" when we are not root, so a sudoers rule that allows
        // exactly java (NOPASSWD) is enough, and a sudo that wants a password answers at once.
        String script = String.join("\n",
                "u=$(id -u); echo \"uid=$u\"; echo \"home=$HOME\"",
                "if [ \"$u\" = 0 ]; then",
                "  if command -v java >/dev/null 2>&1; then echo \"java=$(java -version 2>&1 </dev/null | grep -m 1 version)\"; else echo java=; fi",
                "elif ! command -v sudo >/dev/null 2>&1; then echo 'sudo=sudo is not installed'",
                "elif v=$(sudo -n java -version 2>&1 </dev/null); then echo sudo=ok; echo \"java=$(echo \"$v\" | grep -m 1 version)\"",
                "else case \"$v\" in *'command not found'*) echo sudo=ok; echo java= ;; *) echo \"sudo=$(echo \"$v\" | head -n 1)\" ;; esac",
                "fi",
                "f=\"$HOME/" + jarRelative + "\"",
                "if [ -f \"$f\" ]; then echo \"jar=$(sha256sum \"$f\" | cut -d ' ' -f 1)\"; fi",
                "");
        RemoteCommand.Result r = RemoteCommand.run(connection.session(), script, timeout);
        if (r.exitStatus() != 0 && !r.stdout().contains("uid=")) {
            throw new IOException("the host's shell failed (exit " + r.exitStatus() + "): " + r.stderr().strip());
        }
        return parse(r.stdout());
    }

    static HostProbe parse(String output) {
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        int uid;
        try {
            uid = Integer.parseInt(values.getOrDefault("uid", "-1"));
        } catch (NumberFormatException e) {
            uid = -1;
        }
        return new HostProbe(uid, values.getOrDefault("home", ""), values.getOrDefault("sudo", ""), values.getOrDefault("java", ""),
                values.getOrDefault("jar", ""));
    }

    boolean root() {
        return uid == 0;
    }

    /** Root directly or through a passwordless sudo. */
    boolean canBecomeRoot() {
        return root() || sudo.equals("ok");
    }

    OptionalInt javaMajor() {
        return JavaVersion.major(javaLine);
    }
}
