package io.hotsnap.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.settings.GuardTimeouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard process of one agent ({@link AgentGuard}), in its own session so that the hang-up
 * that ends an agent's SSH session does not end it too. Reads what is armed from its stdin; at end
 * of file (the agent ended, however) it undoes everything still armed, every entry at once, and
 * exits. An agent that says nothing for {@link GuardTimeouts#SILENCE} while something is armed
 * is taken for stopped ({@code kill -STOP}) or hung: its QMP connections would keep every VM's
 * socket busy and its VMs paused or held for as long as it stays so, so the guard kills it (our
 * own process, the one that started us, known by its start time, not only its pid) and then undoes.
 *
 * <p>Argument: the agent's pid.
 */
public final class GuardMain {

    private static final Logger LOG = LoggerFactory.getLogger(GuardMain.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Undo> armed = new ConcurrentHashMap<>();
    /** Every VM the agent ever armed: once it is gone, none may keep a disk copy node of its (see {@link #sweep}). */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final Optional<ProcessHandle> agent;
    private volatile long lastLineAt = System.nanoTime();
    /** The agent's end: its pipe's end of file, or the exit of the agent we killed. */
    private final CompletableFuture<Void> agentEnded = new CompletableFuture<>();

    private GuardMain(Optional<ProcessHandle> agent) {
        this.agent = agent;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: GuardMain AGENT_PID");
            System.exit(2);
        }
        GuardMain guard = new GuardMain(ProcessHandle.of(Long.parseLong(args[0])));
        // The undo's classes are loaded now, not after the agent's death: the jar may be replaced meanwhile.
        VmUndo.class.getName();
        io.hotsnap.qmp.QmpClient.class.getName();
        io.hotsnap.libvirt.LibvirtQmp.client("none", io.hotsnap.settings.Timeouts.defaults());
        guard.watchSilence();
        Thread reader = new Thread(guard::readUntilTheAgentEnds, "guard-reader");
        reader.setDaemon(true);
        reader.start();
        guard.agentEnded.join();
        guard.undoAll();
        guard.sweep();
        System.exit(0);
    }

    private void readUntilTheAgentEnds() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lastLineAt = System.nanoTime();
                apply(JSON.readValue(line, GuardLine.class));
            }
        } catch (IOException e) {
            LOG.error("reading the agent's lines failed ({}): undoing what it armed", e.getMessage());
        }
        agentEnded.complete(null);
    }

    private void apply(GuardLine line) {
        switch (line.op()) {
            case GuardLine.ARM -> {
                armed.put(line.key(), line.undo());
                if (line.undo().qmp() != null) {
                    touched.add(line.undo().qmp());
                }
            }
            case GuardLine.DISARM -> armed.remove(line.key());
            default -> { } // alive
        }
    }

    private void watchSilence() {
        Thread t = new Thread(() -> {
            while (true) {
                sleep(GuardTimeouts.HEARTBEAT.toMillis());
                long silentNanos = System.nanoTime() - lastLineAt;
                if (!armed.isEmpty() && silentNanos > GuardTimeouts.SILENCE.toNanos()) {
                    LOG.error("the agent said nothing for {} ms with {} outstanding (stopped or hung): killing it to undo them",
                            silentNanos / 1_000_000, armed.keySet());
                    // destroyForcibly checks the start time: a pid reused since is left alone.
                    agent.ifPresent(ProcessHandle::destroyForcibly);
                    // Its pipe ends with it, unless another process shares it: its exit decides.
                    agent.map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null))
                            .thenRun(() -> agentEnded.complete(null));
                    return;
                }
            }
        }, "guard-silence");
        t.setDaemon(true);
        t.start();
    }

    private void undoAll() throws InterruptedException {
        Map<String, Undo> outstanding = Map.copyOf(armed);
        if (outstanding.isEmpty()) {
            return;
        }
        LOG.error("the agent ended with {} outstanding: undoing", outstanding.keySet());
        List<Thread> undoing = new ArrayList<>();
        // One thread per entry: a VM slow to answer must not delay another VM's resume.
        outstanding.forEach((key, undo) -> {
            Thread t = new Thread(() -> VmUndo.run(undo), "undo-" + key);
            t.start();
            undoing.add(t);
        });
        for (Thread t : undoing) {
            t.join();
        }
    }

    /**
     * Every VM the agent touched, armed or not, once the agent has exited: an undo of the agent's
     * own that failed quietly, or a step that ran on after its abort, can leave a disk copy's node
     * behind (CI saw one after a coordinator was killed during a staggered barrier cut), and the
     * undo above may have run while the agent was still exiting, when its nodes were not yet
     * stale. Only nodes and jobs named after a dead agent go; nothing else is touched.
     */
    private void sweep() throws InterruptedException {
        if (touched.isEmpty()) {
            return;
        }
        try {
            agent.map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null))
                    .get(GuardTimeouts.COMMAND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the agent has not exited: its disk copy nodes cannot be told stale ({})", e.getMessage());
            return;
        }
        List<Thread> sweeping = new ArrayList<>();
        for (String qmp : touched) {
            Thread t = new Thread(() -> VmUndo.sweep(qmp), "sweep-" + qmp);
            t.start();
            sweeping.add(t);
        }
        for (Thread t : sweeping) {
            t.join();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
