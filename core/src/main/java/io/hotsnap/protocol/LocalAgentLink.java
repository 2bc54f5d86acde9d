package io.hotsnap.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.settings.Timeouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The agent of this host in a child JVM ({@code java -cp <our class path> io.hotsnap.cli.HotsnapCli
 * agent}), so the lab and {@code --hosts local} need no SSH. The protocol runs over the child's
 * stdin/stdout; its stderr lines go to our log and, as {@link EventKind#LOG} events, to listeners.
 */
public final class LocalAgentLink implements ForwardingAgentLink {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAgentLink.class);

    public static final String HOST_NAME = "local";

    /** Named, not referenced: the CLI depends on this package, not the other way round. */
    private static final String MAIN_CLASS = "io.hotsnap.cli.HotsnapCli";
    /** The child logs and scales its timeouts as we do. */
    private static final List<String> FORWARDED_PROPERTIES = List.of("hotsnap.", "org.slf4j.simpleLogger.");
    /** slf4j-simple starts each line with the level (no date or thread: see simplelogger.properties). */
    private static final Pattern LEVEL = Pattern.compile("^(TRACE|DEBUG|INFO|WARN|ERROR)\\b");

    private final Process process;
    private final StreamAgentLink link;
    private final Duration exitGrace;
    private volatile String lastLogLine;

    private LocalAgentLink(Process process, Duration exitGrace) {
        this.process = process;
        this.exitGrace = exitGrace;
        this.link = StreamAgentLink.open(HOST_NAME, process.getInputStream(), process.getOutputStream(), this::exitDetail);
        Thread stderr = new Thread(this::pumpStderr, "agent-stderr-" + HOST_NAME);
        stderr.setDaemon(true);
        stderr.start();
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
        return link;
    }

    /**
     * Says goodbye and closes the child's stdin, so it releases what it holds and exits by itself;
     * if it has not exited after the grace period, kills it. Does not wait.
     */
    @Override
    public void close() {
        link.close();
        process.onExit().orTimeout(exitGrace.toNanos(), TimeUnit.NANOSECONDS).exceptionally(timedOut -> {
            LOG.warn("Local agent (pid {}) still running {} after its input closed: killing it", process.pid(), exitGrace);
            process.destroyForcibly();
            return null;
        });
    }

    private void pumpStderr() {
        String level = "INFO";
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                Matcher m = LEVEL.matcher(line);
                // A line without a level continues the previous one (a stack trace).
                level = m.find() ? m.group(1) : level;
                lastLogLine = line;
                LOG.atLevel(Level.valueOf(level)).log("[agent {}] {}", HOST_NAME, line);
                ObjectNode data = JsonNodeFactory.instance.objectNode().put("level", level).put("line", line);
                link.deliver(new AgentEvent(0, EventKind.LOG, null, HostClock.wallMicros(), data));
            }
        } catch (IOException e) {
            LOG.debug("Local agent's stderr ended: {}", e.getMessage());
        }
    }

    /** Why the stream ended, for the link-lost reason: the exit code tells a crash from a kill. */
    private String exitDetail() {
        StringBuilder detail = new StringBuilder(" (pid ").append(process.pid());
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                detail.append(", exit code ").append(process.exitValue());
            } else {
                detail.append(", still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String last = lastLogLine;
        if (last != null) {
            detail.append("; last log line: ").append(last);
        }
        return detail.append(')').toString();
    }
}
