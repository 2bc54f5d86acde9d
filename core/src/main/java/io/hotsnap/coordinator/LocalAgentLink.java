package io.hotsnap.coordinator;

import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of this host in a child JVM ({@code java -cp <our class path> io.hotsnap.cli.HotsnapCli
 * agent}), so the lab and {@code --hosts local} need no SSH. The child's streams are an
 * {@link AgentStdio}; this class adds how the child is started, named in a lost link's reason, and
 * killed when it outlives its goodbye.
 */
public final class LocalAgentLink implements ForwardingAgentLink {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAgentLink.class);

    public static final String HOST_NAME = "local";

    /** Named, not referenced: the CLI depends on this package, not the other way round. */
    private static final String MAIN_CLASS = "io.hotsnap.cli.HotsnapCli";
    /** The child logs and scales its timeouts as we do. */
    private static final List<String> FORWARDED_PROPERTIES = List.of("hotsnap.", "org.slf4j.simpleLogger.");

    private final Process process;
    private final Duration exitGrace;
    private final AgentStdio stdio;

    private LocalAgentLink(Process process, Duration exitGrace) {
        this.process = process;
        this.exitGrace = exitGrace;
        this.stdio = AgentStdio.start(HOST_NAME, process.getInputStream(), process.getOutputStream(), process.getErrorStream(),
                this::exitDetail);
    }

    /**
     * Starts the child agent. The class path is this JVM's own, so the same call works from the
     * shaded jar, from an IDE and from tests.
     *
     * @param timeouts {@code qmpCommand()} is how long {@link #close()} lets the child finish its
     *                 cleanup before killing it: about one QMP round of resuming and releasing
     * @throws ProtocolException coded {@code failed} when the JVM cannot be started
     */
    public static LocalAgentLink start(Timeouts timeouts) {
        List<String> command = command();
        try {
            Process process = new ProcessBuilder(command).start();
            LOG.info("Started the local agent, pid {}", process.pid());
            return new LocalAgentLink(process, timeouts.qmpCommand());
        } catch (IOException e) {
            throw new ProtocolException(ProtocolException.FAILED, "cannot start the local agent: " + e.getMessage(), null, e);
        }
    }

    static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The JVM's own warnings would otherwise land in the protocol stream.
        command.add("-XX:+DisplayVMOutputToStderr");
        for (String name : System.getProperties().stringPropertyNames()) {
            if (FORWARDED_PROPERTIES.stream().anyMatch(name::startsWith)) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "agent"));
        return command;
    }

    /** The child's process id, for diagnostics. */
    public long pid() {
        return process.pid();
    }

    @Override
    public String hostName() {
        return HOST_NAME;
    }

    @Override
    public StreamAgentLink stream() {
        return stdio.link();
    }

    /**
     * Says goodbye and closes the child's stdin, so it releases what it holds and exits by itself;
     * if it has not exited after the grace period, kills it. Does not wait.
     */
    @Override
    public void close() {
        stdio.link().close();
        process.onExit().orTimeout(exitGrace.toNanos(), TimeUnit.NANOSECONDS).exceptionally(timedOut -> {
            LOG.warn("Local agent (pid {}) still running {} after its input closed: killing it", process.pid(), exitGrace);
            process.destroyForcibly();
            return null;
        });
    }

    /** Why the stream ended, for the link-lost reason: the exit code tells a crash from a kill. */
    private String exitDetail() {
        StringBuilder detail = new StringBuilder("pid ").append(process.pid());
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                detail.append(", exit code ").append(process.exitValue());
            } else {
                detail.append(", still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return detail.toString();
    }
}
