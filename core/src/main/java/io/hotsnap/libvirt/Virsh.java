package io.hotsnap.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived interactive {@code virsh} per libvirt connection, shared by everything in this
 * process: a command through it costs about 2–4 ms, a {@code virsh} process per command about
 * 37 ms (STACK.md). Commands run one at a time. Each is followed by an {@code echo} of a unique
 * marker to stdout and to stderr, so its output and its error lines end where the markers appear
 * (virsh prints no end-of-output sign of its own, and echoes its prompt and our command lines,
 * which are filtered out). A session that times out or dies is started afresh by the next command.
 */
public final class Virsh {

    private static final Logger LOG = LoggerFactory.getLogger(Virsh.class);
    private static final Map<String, Virsh> SESSIONS = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "virsh-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final String PROMPT = "virsh # ";

    private final String uri;
    private Process process;
    private final StringBuilder outBuffer = new StringBuilder();
    private final StringBuilder errBuffer = new StringBuilder();
    private long markers;

    private Virsh(String uri) {
        this.uri = uri;
    }

    /** The session for {@code uri} ({@code qemu:///system}), started on its first command. */
    public static Virsh session(String uri) {
        return SESSIONS.computeIfAbsent(uri, Virsh::new);
    }

    public String uri() {
        return uri;
    }

    /** True if the {@code virsh} client is installed: without it this host has no libvirt to ask. */
    public static boolean installed() {
        return io.hotsnap.host.HostCommand.onPath("virsh");
    }

    /**
     * Runs one virsh command and returns its standard output.
     *
     * @throws VirshException with virsh's error line (libvirtd down, no such domain, …) or when no
     *                        answer came within {@code timeout}
     */
    public synchronized String run(List<String> words, Duration timeout) {
        String line = commandLine(words);
        String marker = "hotsnap-" + (++markers);
        String token = "&lt;" + marker + "&gt;";
        List<String> sent = List.of(line, "echo --xml '<" + marker + ">'", "echo --xml --err '<" + marker + ">'");
        Process p = ensureStarted();
        ScheduledFuture<?> deadline = WATCHDOG.schedule(p::destroyForcibly, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            OutputStream in = p.getOutputStream();
            in.write((String.join("\n", sent) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String out = readUntil(p.getInputStream(), outBuffer, token);
            String err = readUntil(p.getErrorStream(), errBuffer, token);
            List<String> errors = err.lines().filter(l -> l.startsWith("error: ")).map(l -> l.substring(7).strip())
                    .filter(l -> !l.isEmpty()).toList();
            if (!errors.isEmpty()) {
                throw new VirshException(String.join(": ", errors));
            }
            return withoutEcho(out, line);
        } catch (IOException e) {
            boolean timedOut = deadline.isDone() && !deadline.isCancelled();
            // virsh ends at once when it cannot connect (libvirtd not running): its error lines say why.
            String why = timedOut ? "" : errorLines(p);
            stop();
            throw new VirshException(timedOut
                    ? "virsh (" + uri + ") did not answer '" + words.get(0) + "' within " + timeout.toMillis() + " ms"
                    : why.isEmpty() ? "virsh (" + uri + ") ended: " + e.getMessage() : why);
        } finally {
            deadline.cancel(false);
        }
    }

    /** What an ended virsh wrote to stderr, its {@code error: } lines joined. */
    private String errorLines(Process ended) {
        try {
            if (ended.waitFor(2, TimeUnit.SECONDS)) {
                errBuffer.append(new String(ended.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // what was read so far is all there is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return String.join(": ", errBuffer.toString().lines().filter(l -> l.startsWith("error: "))
                .map(l -> l.substring(7).strip()).filter(l -> !l.isEmpty() && !l.contains("&lt;hotsnap-")).toList());
    }

        /** Ends the session's virsh (the next command starts another). */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            process = null;
        }
        outBuffer.setLength(0);
        errBuffer.setLength(0);
    }

    private Process ensureStarted() {
        if (process != null && process.isAlive()) {
            return process;
        }
        outBuffer.setLength(0);
        errBuffer.setLength(0);
        try {
            // stdbuf: a virsh writing to a pipe would otherwise keep its output in its buffer.
            ProcessBuilder virsh = new ProcessBuilder("stdbuf", "-o0", "virsh", "-q", "-c", uri);
            // virsh's readline echoes our lines as if to an 80-column terminal: past that width it
            // adds cursor moves that glue the echo to the answer (a qemu-monitor-command for a
            // domain named with 8 characters was enough). No line of ours is this wide.
            virsh.environment().put("COLUMNS", "1000000");
            process = virsh.start();
        } catch (IOException e) {
            throw new VirshException("cannot start virsh: " + e.getMessage());
        }
        LOG.debug("virsh session for {} started (pid {})", uri, process.pid());
        return process;
    }

    /** Reads until {@code token} appears; returns what came before it, keeps what came after. */
    private static String readUntil(InputStream stream, StringBuilder buffer, String token) throws IOException {
        byte[] chunk = new byte[8192];
        int at;
        while ((at = buffer.indexOf(token)) < 0) {
            int n = stream.read(chunk);
            if (n < 0) {
                throw new IOException("end of output");
            }
            // UTF-8 split across reads only ever damages output we drop (domain XML is read whole).
            buffer.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
        }
        String before = buffer.substring(0, at);
        buffer.delete(0, at + token.length());
        return before;
    }

    /** The output without virsh's echo of our lines: the command, and the markers (this one's and the last one's). */
    private static String withoutEcho(String out, String command) {
        List<String> kept = new ArrayList<>();
        for (String l : out.split("\n", -1)) {
            String bare = l;
            while (bare.startsWith(PROMPT)) {
                bare = bare.substring(PROMPT.length());
            }
            if (!bare.equals(command) && !bare.startsWith("echo --xml ") && !bare.equals(PROMPT.strip())) {
                kept.add(bare);
            }
        }
        return String.join("\n", kept).strip();
    }

    /** virsh's own quoting: single quotes where they suffice, else a backslash before every special character. */
    static String commandLine(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String w : words) {
            if (w.matches("[A-Za-z0-9_./:=@+-]+")) {
                quoted.add(w);
            } else if (w.indexOf('\'') < 0 && w.indexOf('\n') < 0) {
                quoted.add("'" + w + "'");
            } else {
                StringBuilder b = new StringBuilder();
                for (char c : w.toCharArray()) {
                    if (c == '\n') {
                        throw new IllegalArgumentException("a virsh argument cannot hold a line break");
                    }
                    if (!Character.isLetterOrDigit(c)) {
                        b.append('\\');
                    }
                    b.append(c);
                }
                quoted.add(b.toString());
            }
        }
        return String.join(" ", quoted);
    }
}
