package io.hotsnap.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An unprivileged process (user nobody) that looks like a VM's QEMU to anyone reading command
 * lines: its {@code argv[0]} is {@code qemu-system-x86_64} and its arguments name the VM's QMP
 * socket, but it listens on nothing. Closing it kills it.
 */
public final class Impostor implements AutoCloseable {

    private final Process process;

    private Impostor(Process process) {
        this.process = process;
    }

    /** Started and visible in {@code /proc} with the forged command line. */
    public static Impostor naming(Path socket) throws IOException {
        // The inner bash stays (": " after sleep keeps it from exec-ing sleep) under the forged argv[0].
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "bash", "-c", "exec -a qemu-system-x86_64 bash -c 'sleep 600; :' impostor -qmp \"unix:$0,server=on,wait=off\"",
                socket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Impostor impostor = new Impostor(p);
        try {
            await("the impostor starts").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .failFast("the impostor ended", () -> !p.isAlive())
                    .until(() -> impostor.cmdline().startsWith("qemu-system-x86_64\0") && impostor.cmdline().contains(socket.toString()));
        } catch (RuntimeException e) {
            impostor.close();
            throw new IllegalStateException("the impostor did not start: " + impostor.cmdline().replace('\0', ' '), e);
        }
        return impostor;
    }

    public long pid() {
        return process.pid();
    }

    private String cmdline() {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid()), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
