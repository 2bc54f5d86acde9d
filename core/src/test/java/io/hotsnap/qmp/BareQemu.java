package io.hotsnap.qmp;

import static org.awaitility.Awaitility.await;

import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A throwaway QEMU with no guest (paused with {@code -S}, no disks, no display) and a QMP socket in
 * its own temporary directory: the cheapest real QMP peer. Close it in a finally / {@code @AfterAll}.
 */
public final class BareQemu implements AutoCloseable {

    private static final Duration START_TIMEOUT = Timeouts.defaults().qmpConnect();

    private final Path dir;
    private final Process process;

    private BareQemu(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Starts QEMU and returns once its QMP socket exists; {@code extraArgs} are added to its command line. */
    public static BareQemu start(String... extraArgs) throws IOException {
        Path dir = Files.createTempDirectory("bare-qemu");
        List<String> command = new ArrayList<>(List.of(
                "qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-m", "64",
                "-nodefaults", "-no-user-config", "-display", "none", "-S"));
        // Before -qmp: QEMU creates chardevs in command-line order, so sockets the extra arguments
        // ask for exist once the QMP socket does.
        command.addAll(List.of(extraArgs));
        command.addAll(List.of("-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
        BareQemu qemu = new BareQemu(dir, process);
        try {
            qemu.awaitSocket();
        } catch (IOException | RuntimeException e) {
            qemu.close();
            throw e;
        }
        return qemu;
    }

    public Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    /** A client connected with the default timeouts. */
    public QmpClient connect() {
        QmpClient client = new QmpClient(qmpSocket(), Timeouts.defaults());
        client.connect(Timeouts.defaults().qmpConnect());
        return client;
    }

    /** SIGSTOP: QEMU stops answering while its sockets stay open (commands hang, connects get no greeting). */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    /** SIGKILL, as if QEMU crashed; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills QEMU (a bare QEMU holds nothing worth a graceful quit) and removes its directory. */
    @Override
    public void close() throws IOException {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Waits until the QMP socket accepts a connection: the file appears at bind(), a moment before
     * QEMU listens. The probe takes QEMU's greeting and hangs up; the next client is served after it.
     */
    private void awaitSocket() throws IOException {
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(10)).failFast(() -> !process.isAlive())
                    .until(() -> accepts(qmpSocket()));
        } catch (TerminalFailureException e) {
            throw new IllegalStateException("QEMU exited with " + process.exitValue() + ": " + log(), e);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("no QMP socket after " + START_TIMEOUT + ": " + log(), e);
        }
    }

    private static boolean accepts(Path socket) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (SocketException notYet) {
            return false;
        }
    }

    /** What QEMU printed (stdout and stderr, traces included). */
    String log() throws IOException {
        return Files.readString(dir.resolve("qemu.log")).strip();
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
    }
}
