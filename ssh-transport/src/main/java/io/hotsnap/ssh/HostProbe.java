package io.hotsnap.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the agent needs from a host, learned in one round trip: who we are there, whether root is
 * reachable (directly or through {@code sudo -n}), which Java runs (on PATH or under {@code /usr/lib/jvm}), and the checksum of the agent
 * jar if the cache already holds it (computed on the host).
 *
 * @param sudo        empty when we are root; {@code ok} when sudo runs a java without a password (or there is none to
 *                    run); otherwise sudo's own first complaint
 * @param javaCommand how the agent's java is named on the host: {@code java} (found on PATH, or sudo's secure_path) or the
 *                    absolute path of one under {@code /usr/lib/jvm}; empty when there is none
 * @param javaLine    the first line of that java's {@code -version}, empty when there is no java
 * @param cachedSha   the SHA-256 of the cached agent jar as the host computes it, empty when not cached
 */
record HostProbe(int uid, String home, String sudo, String javaCommand, String javaLine, String cachedSha) {

    static final int MIN_JAVA = 17;
    /** Where Debian, Ubuntu, Fedora and the Temurin packages put JDKs that need not be on PATH. */
    static final String JVM_GLOB = "/usr/lib/jvm/*/bin/java";

    static HostProbe run(SshConnection connection, String jarRelative, Duration timeout) throws IOException {
        // POSIX sh only, every answer on its own key=value line. Java is checked the way the agent
        // will run: through "sudo -n" when we are not root, so a sudoers rule that allows exactly
        // java (NOPASSWD) is enough, and a sudo that wants a password answers at once. The first
        // java of MIN_JAVA or later wins: the one on PATH, then each under /usr/lib/jvm.
        String script = String.join("\n",
                "u=$(id -u); echo \"uid=$u\"; echo \"home=$HOME\"; s=; c=; l=; e=",
                "if [ \"$u\" != 0 ] && ! command -v sudo >/dev/null 2>&1; then echo 'sudo=sudo is not installed'",
                "else",
                "  [ \"$u\" = 0 ] || s='sudo -n'",
                "  for j in java " + JVM_GLOB + "; do",
                "    case $j in java) [ -n \"$s\" ] || command -v java >/dev/null 2>&1 || continue ;; *) [ -x \"$j\" ] || continue ;; esac",
                "    if v=$($s \"$j\" -version 2>&1 </dev/null); then",
                "      c=$j; l=$(echo \"$v\" | grep -m 1 version)",
                "      m=$(echo \"$l\" | sed -n 's/.*version \"\\([0-9]*\\).*/\\1/p')",
                "      [ \"${m:-0}\" -ge " + MIN_JAVA + " ] && break",
                "    else case \"$v\" in *'command not found'*) ;; *) [ -n \"$e\" ] || e=$(echo \"$v\" | head -n 1) ;; esac",
                "    fi",
                "  done",
                // sudo works when it ran a java, or refused none (there was just no java to run).
                "  if [ -n \"$s\" ]; then if [ -n \"$c\" ] || [ -z \"$e\" ]; then echo sudo=ok; else echo \"sudo=$e\"; fi; fi",
                "  [ -z \"$c\" ] || { echo \"javacmd=$c\"; echo \"java=$l\"; }",
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
        return new HostProbe(uid, values.getOrDefault("home", ""), values.getOrDefault("sudo", ""), values.getOrDefault("javacmd", ""),
                values.getOrDefault("java", ""), values.getOrDefault("jar", ""));
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

    /** Why the agent cannot run on the Java found, in one line with the fix; empty when it can. */
    Optional<String> javaProblem() {
        if (javaLine.isEmpty()) {
            return Optional.of("no Java on the host (no 'java' " + (root() ? "on PATH" : "that sudo runs") + " nor in " + JVM_GLOB
                    + "): install a Java " + MIN_JAVA + "+ runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless)");
        }
        OptionalInt major = javaMajor();
        if (major.isEmpty() || major.getAsInt() < MIN_JAVA) {
            return Optional.of("Java on the host is too old (" + javaCommand + ": '" + javaLine + "'; the agent needs " + MIN_JAVA
                    + "+, and none was found on PATH nor in " + JVM_GLOB + "): install openjdk-17-jre-headless or newer");
        }
        return Optional.empty();
    }
}
