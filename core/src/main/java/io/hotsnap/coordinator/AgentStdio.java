package io.hotsnap.coordinator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotsnap.host.HostClock;
import io.hotsnap.protocol.AgentEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.settings.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The standard streams of an agent process, however it was started (a child JVM, an SSH exec
 * channel): the protocol on its stdin/stdout ({@link StreamAgentLink}: line pump, pending requests,
 * goodbye), its stderr to our log and, as {@link EventKind#LOG} events, to the link's listeners.
 * When the protocol stream ends by itself, the reason names how the process ended and its last
 * log line.
 */
public final class AgentStdio {

    private static final Logger LOG = LoggerFactory.getLogger(AgentStdio.class);
    /** slf4j-simple starts each line with the level (no date or thread: see simplelogger.properties). */
    private static final Pattern LEVEL = Pattern.compile("^(TRACE|DEBUG|INFO|WARN|ERROR)\\b");

    private final String hostName;
    private final Supplier<String> exitDetail;
    private final StreamAgentLink link;
    private final Thread stderrPump;
    private volatile String lastLogLine;

    private AgentStdio(String hostName, InputStream stdout, OutputStream stdin, InputStream stderr, Supplier<String> exitDetail) {
        this.hostName = hostName;
        this.exitDetail = exitDetail;
        this.stderrPump = new Thread(() -> pumpStderr(stderr), "agent-stderr-" + hostName);
        stderrPump.setDaemon(true);
        this.link = StreamAgentLink.open(hostName, stdout, stdin, this::lossDetail);
        stderrPump.start();
    }

    /**
     * Starts reading the agent's stdout and stderr, each on a daemon thread.
     *
     * @param exitDetail how the process ended, e.g. "pid 12, exit code 3", for the reason of a link
     *                   that ended by itself; may wait a moment for the process to end
     */
    public static AgentStdio start(String hostName, InputStream stdout, OutputStream stdin, InputStream stderr,
                                   Supplier<String> exitDetail) {
        return new AgentStdio(hostName, stdout, stdin, stderr, exitDetail);
    }

    public StreamAgentLink link() {
        return link;
    }

    private void pumpStderr(InputStream stderr) {
        String level = "INFO";
        try (BufferedReader err = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                Matcher m = LEVEL.matcher(line);
                // A line without a level continues the previous one (a stack trace).
                level = m.find() ? m.group(1) : level;
                lastLogLine = line;
                LOG.atLevel(Level.valueOf(level)).log("[agent {}] {}", hostName, line);
                ObjectNode data = JsonNodeFactory.instance.objectNode().put("level", level).put("line", line);
                link.deliver(new AgentEvent(0, EventKind.LOG, null, HostClock.wallMicros(), data));
            }
        } catch (IOException e) {
            LOG.debug("Agent stderr of {} ended: {}", hostName, e.getMessage());
        }
    }

    /** " (how it ended; last log line: ...)", on the link's reader thread once the stream ended by itself. */
    private String lossDetail() {
        StringBuilder detail = new StringBuilder(" (").append(exitDetail.get());
        try {
            stderrPump.join(Waits.AGENT_LAST_LINE.toMillis());
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
