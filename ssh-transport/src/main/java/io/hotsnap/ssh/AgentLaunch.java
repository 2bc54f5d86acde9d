package io.hotsnap.ssh;

/**
 * The one remote command that starts the agent. In a single shell it refuses a jar that another user
 * could replace (the jar and every directory above it must belong to root or to us, and be writable
 * by nobody else unless the directory is sticky, as {@code /tmp} is), checks the jar's SHA-256, and
 * execs the java the probe chose on that same path. Checking in one command and starting in another, as we once did,
 * left a moment in which a writer of the cache could swap the jar that root then runs.
 */
final class AgentLaunch {

    /** The exit status of a refused start; the reason is the agent's last stderr line. */
    static final int REFUSED = 3;
    /** Forwarded to the remote agent so that it scales its waits as we do. */
    private static final String SCALE = "hotsnap.timeoutScale";

    private AgentLaunch() {
    }

    /** @param jarPath the jar as deployed (absolute on the host); @param sha256 what it must hash to */
    static String command(HostProbe probe, String jarPath, String sha256) {
        String refuse = "echo \"ERROR refusing to start the agent: ";
        String stop = "\" >&2; exit " + REFUSED;
        return String.join("\n",
                "p=" + ShellQuote.quote(jarPath),
                "f=$(readlink -f -- \"$p\") || { " + refuse + "cannot resolve $p" + stop + "; }",
                "u=$(id -u); d=$f",
                "while :; do",
                "  m=$(stat -c '%u %A' -- \"$d\") || { " + refuse + "cannot stat $d" + stop + "; }",
                "  set -- $m",
                "  case $1 in 0|\"$u\") ;; *) " + refuse + "$d belongs to uid $1, not to root or to us (uid $u), so it could swap the"
                        + " jar; run the agent from a home that only you own" + stop + " ;; esac",
                "  case $2 in d????????[tT]) ;; ?????w????|????????w?) " + refuse + "$d is writable by others ($2), so the jar could"
                        + " be swapped; chmod go-w $d" + stop + " ;; esac",
                "  [ \"$d\" = / ] && break; d=$(dirname -- \"$d\")",
                "done",
                "s=$(sha256sum -- \"$f\" | cut -d ' ' -f 1)",
                "[ \"$s\" = " + ShellQuote.quote(sha256) + " ] || { " + refuse + "$f has checksum $s, not " + sha256
                        + ": it was changed after it was copied" + stop + "; }",
                "exec " + java(probe) + " -jar \"$f\" agent");
    }

    /** The agent as root; the JVM's own warnings go to stderr so that stdout carries protocol only. */
    private static String java(HostProbe probe) {
        StringBuilder command = new StringBuilder();
        if (!probe.root()) {
            command.append("sudo -n ");
        }
        // "java" as found on PATH (or sudo's secure_path) stays a bare word, which a sudoers rule for /usr/bin/java matches.
        command.append(probe.javaCommand().equals("java") ? "java" : ShellQuote.quote(probe.javaCommand()));
        command.append(" -XX:+DisplayVMOutputToStderr");
        String scale = System.getProperty(SCALE);
        if (scale != null && scale.matches("[0-9.]+")) {
            command.append(" -D").append(SCALE).append('=').append(scale);
        }
        return command.toString();
    }
}
