package io.hotsnap.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the kernel says of a process we started, and the one signal Java has no call for. */
public final class ProcessState {

    private ProcessState() {
    }

    /** Whether {@code pid} is stopped by a signal or a tracer ({@code T}/{@code t} in {@code /proc/PID/stat}). */
    public static boolean stopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The state follows the command name, which may itself hold spaces and parentheses.
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'T' || state == 't';
        } catch (IOException e) {
            return false; // gone
        }
    }

    /** {@code kill -NAME pid}; a process already gone is no error. */
    public static void signal(long pid, String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot signal pid " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
