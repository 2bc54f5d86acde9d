package io.hotsnap.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.settings.GuardTimeouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's side of its guard (DESIGN §9): every pause, hold, changed capability and drop
 * table is armed here before it happens and disarmed once undone, and a detached {@link GuardMain}
 * undoes whatever is still armed when this process dies.
 *
 * <p>Why a pipe (the guard's stdin): the kernel closes it however we die (SIGKILL, the OOM
 * killer), so its end of file is the death notice, with no polling and no pid that could be
 * reused; the lines before it say exactly what is outstanding, so the guard never touches a VM we
 * did not tell it about. Why a JVM of its own and not a shell: undoing takes QMP, which the
 * engine's client speaks, and the jar is already on the host. One guard serves the whole process,
 * started at the first arm (prepare, before any pause), so its start never lengthens a pause.
 */
public final class AgentGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AgentGuard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AgentGuard INSTANCE = new AgentGuard();

    private final Map<String, Undo> armed = new LinkedHashMap<>();
    private Process process;
    private OutputStream out;
    private ScheduledExecutorService heartbeat;

    private AgentGuard() {
    }

    /** The guard of this process. */
    public static AgentGuard get() {
        return INSTANCE;
    }

    /**
     * Arms {@code undo} under {@code key} (unique in this process), before the change it undoes.
     *
     * @throws IllegalStateException if no guard can be started: the caller must not pause or hold then
     */
    public synchronized Armed arm(String key, Undo undo) {
        armed.put(key, undo);
        send(new GuardLine(GuardLine.ARM, key, undo));
        return new Armed(key);
    }

    /** The guard's process, for tests; -1 before the first arm. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    private synchronized void update(String key, UnaryOperator<Undo> change) {
        Undo now = armed.get(key);
        if (now != null) {
            Undo next = change.apply(now);
            armed.put(key, next);
            send(new GuardLine(GuardLine.ARM, key, next));
        }
    }

    private synchronized void disarm(String key) {
        if (armed.remove(key) != null) {
            send(new GuardLine(GuardLine.DISARM, key, null));
        }
    }

    private synchronized void alive() {
        if (process != null && process.isAlive()) {
            write(new GuardLine(GuardLine.ALIVE, null, null));
        }
    }

    /** Writes the line; a guard that died (killed by someone) is replaced and told everything still armed. */
    private void send(GuardLine line) {
        if (process == null || !process.isAlive()) {
            boolean replacing = process != null;
            start();
            if (replacing) {
                LOG.error("The agent's guard (which resumes paused VMs if the agent dies) had ended: started another");
                armed.forEach((key, undo) -> write(new GuardLine(GuardLine.ARM, key, undo)));
                return;
            }
        }
        write(line);
    }

    private void write(GuardLine line) {
        try {
            out.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a guard line: " + e.getMessage(), e);
        } catch (IOException e) {
            LOG.error("Cannot tell the guard about {}: {}", line.key() == null ? line.op() : line.key(), e.getMessage());
        }
    }

    private void start() {
        List<String> command = new ArrayList<>(List.of("setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small and quick to start; it waits, and undoes a few QMP commands' worth.
                "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), GuardMain.class.getName(), Long.toString(ProcessHandle.current().pid())));
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the guard that resumes our VMs if this agent dies: " + e.getMessage(), e);
        }
        out = process.getOutputStream();
        pumpStderr(process);
        if (heartbeat == null) {
            heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "guard-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long every = GuardTimeouts.HEARTBEAT.toMillis();
            heartbeat.scheduleAtFixedRate(this::alive, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The guard's log goes into ours while we live (after our death nobody reads it, and it does not need to be read). */
    private static void pumpStderr(Process guard) {
        Thread t = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(guard.getErrorStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = err.readLine()) != null) {
                    LOG.warn("guard: {}", l);
                }
            } catch (IOException ignored) {
                // it ended
            }
        }, "guard-stderr");
        t.setDaemon(true);
        t.start();
    }

    /** One armed entry: changed as the work goes on, closed (disarmed) once its changes are undone. */
    public final class Armed implements AutoCloseable {

        private final String key;

        private Armed(String key) {
            this.key = key;
        }

        public void update(UnaryOperator<Undo> change) {
            AgentGuard.this.update(key, change);
        }

        @Override
        public void close() {
            disarm(key);
        }
    }
}
