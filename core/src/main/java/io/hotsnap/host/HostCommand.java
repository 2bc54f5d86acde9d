package io.hotsnap.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one host tool (ip, qemu-img, qemu-system-…) to completion with a bound, capturing its
 * output. A failure becomes a {@link HostCommandException} whose message is the tool's own last
 * line of stderr, because that is what an administrator needs to read.
 */
public final class HostCommand {

    private HostCommand() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs and returns the result whatever the exit code; throws only if it cannot run or times out. */
    public static Result run(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new HostCommandException("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new HostCommandException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostCommandException("interrupted while running " + command.get(0));
        }
    }

    /** Runs and insists on exit code 0. */
    public static Result check(List<String> command, Duration timeout) {
        Result r = run(command, timeout);
        if (!r.ok()) {
            throw new HostCommandException(command.get(0) + " " + (command.size() > 1 ? command.get(1) + " " : "")
                    + "failed: " + lastLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        }
        return r;
    }

    /** True if {@code tool} is an executable on this host's PATH. */
    public static boolean onPath(String tool) {
        return locate(tool).isPresent();
    }

    /** Where on PATH {@code tool} is, as running it by name would find it. */
    public static Optional<Path> locate(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    public static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    /** A thread of its own per stream: the common pool has one worker on a 2-core host and reads block. */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        }, "host-command-drain");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
