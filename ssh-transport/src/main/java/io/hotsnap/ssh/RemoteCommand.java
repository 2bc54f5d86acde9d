package io.hotsnap.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One short POSIX sh script on the host over an exec channel, whatever the login shell ({@link PosixShell}), bounded by a timeout; its output collected. */
final class RemoteCommand {

    /** @param exitStatus -1 when the host sent none (the channel was cut) */
    record Result(int exitStatus, String stdout, String stderr) {
    }

    private RemoteCommand() {
    }

    static Result run(Session session, String command, Duration timeout) throws IOException {
        return run(session, command, null, timeout);
    }

    /** @param stdin what the command reads, then end of file; {@code null}: nothing */
    static Result run(Session session, String command, byte[] stdin, Duration timeout) throws IOException {
        ChannelExec channel;
        try {
            channel = (ChannelExec) session.openChannel("exec");
        } catch (JSchException e) {
            throw new IOException("cannot open a channel: " + e.getMessage(), e);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            channel.setCommand(PosixShell.command(command));
            channel.setInputStream(stdin == null ? null : new java.io.ByteArrayInputStream(stdin));
            channel.setErrStream(err, true);
            InputStream out = channel.getInputStream();
            channel.connect((int) timeout.toMillis());
            // The read blocks; disconnecting the channel on timeout ends it.
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] bytes = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // The exit status comes with the channel's close, just after the end of its output.
            Poll.every(Waits.SSH_CHANNEL_POLL, Waits.SSH_EXIT_STATUS).until(channel::isClosed);
            int status = channel.isClosed() ? channel.getExitStatus() : -1;
            String errText;
            synchronized (err) {
                errText = err.toString(StandardCharsets.UTF_8);
            }
            return new Result(status, new String(bytes, StandardCharsets.UTF_8), errText);
        } catch (JSchException e) {
            throw new IOException("cannot run a command: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IOException("'" + abbreviate(command) + "' gave no answer within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IOException("command output broke off: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            channel.disconnect();
        }
    }

    private static String abbreviate(String command) {
        return command.length() <= 60 ? command : command.substring(0, 60) + "…";
    }
}
