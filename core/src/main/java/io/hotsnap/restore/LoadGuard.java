package io.hotsnap.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes a load if this agent dies before the VM is resumed or discarded: a detached shell waits
 * for the agent's process to end, then kills the paused QEMU (or destroys the libvirt domain) and
 * removes the load's files. A VM loaded for a restore waits paused until every host has loaded;
 * an agent killed in that wait (OOM killer, {@code kill -9}) would otherwise leave it paused for
 * good, its overlays behind. Disarmed by {@link #close} once the VM runs or has been discarded.
 * Its own session ({@code setsid}): a hang-up that ends the agent must not end the guard too.
 */
final class LoadGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGuard.class);

    /**
     * $1 the agent's pid, $2 qemu|domain, $3 $4 the QEMU's pid and QMP socket, or the libvirt URI
     * and domain name; then the files to remove. A QEMU is killed only while its command line still
     * names the socket, so a reused pid is left alone. Pid 0: armed before the QEMU was started (an
     * agent may die while it starts), so the QEMU is the process the kernel says listens on the
     * socket, looked for a few seconds (a QEMU still starting when the agent died).
     */
    private static final String SCRIPT = """
            agent=$1 kind=$2 a=$3 b=$4
            shift 4
            while kill -0 "$agent" 2>/dev/null; do sleep 0.2; done
            case $kind in
              qemu)
                i=0
                while [ "$a" = 0 ] && [ $i -lt 25 ]; do
                  a=$(ss -xlpn 2>/dev/null | grep -F -- " $b " | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
                  [ -n "$a" ] || a=0
                  i=$((i + 1))
                  [ "$a" = 0 ] && sleep 0.2
                done
                [ "$a" != 0 ] && grep -qF -- "$b" "/proc/$a/cmdline" 2>/dev/null && kill -9 "$a" ;;
              domain) virsh -q -c "$a" destroy "$b" >/dev/null 2>&1 ;;
            esac
            rm -f -- "$@"
            """;

    private final Process shell;

    private LoadGuard(Process shell) {
        this.shell = shell;
    }

    /** Kills QEMU {@code pid} (while it serves {@code qmp}) and removes {@code files} once {@code watched} has ended. */
    static LoadGuard qemu(long watched, long pid, Path qmp, List<Path> files) {
        return start(watched, "qemu", String.valueOf(pid), qmp.toString(), files);
    }

    /** As {@link #qemu(long, long, Path, List)} for a QEMU not started yet: whichever listens on {@code qmp} then. */
    static LoadGuard qemuToStart(long watched, Path qmp, List<Path> files) {
        return qemu(watched, 0, qmp, files);
    }

    /** Destroys libvirt domain {@code name} and removes {@code files} once {@code watched} has ended. */
    static LoadGuard domain(long watched, String uri, String name, List<Path> files) {
        return start(watched, "domain", uri, name, files);
    }

    /** The pid the guards of this process watch: this agent's own. */
    static long agent() {
        return ProcessHandle.current().pid();
    }

    private static LoadGuard start(long watched, String kind, String a, String b, List<Path> files) {
        List<String> command = new ArrayList<>(List.of("setsid", "sh", "-c", SCRIPT, "hotsnap-load-guard", String.valueOf(watched), kind, a, b));
        files.forEach(f -> command.add(f.toString()));
        try {
            Process shell = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new LoadGuard(shell);
        } catch (IOException e) {
            // No guard means a VM that could stay paused if this agent died: refuse the load.
            throw new IllegalStateException("cannot start the guard that undoes this load if the agent dies: " + e.getMessage(), e);
        }
    }

    /** The guard's own process, for tests. */
    long pid() {
        return shell.pid();
    }

    /** Disarms: the VM runs, or this agent has undone the load itself. */
    @Override
    public void close() {
        shell.destroy();
        try {
            shell.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while disarming the load guard (pid {})", shell.pid());
        }
    }
}
