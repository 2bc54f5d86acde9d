package io.hotsnap.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.settings.GuardTimeouts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard process with a stand-in agent (a {@code sleep}) that goes silent: killed only while
 * something is armed. (What it undoes in a VM is shown on real QEMU by {@code AgentGuardIT}.)
 */
class GuardMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Process agent;
    private Process guard;

    @Test
    void aSilentAgentWithAVmArmedIsKilledOnceTheSilenceHasLasted() throws Exception {
        startGuard();
        send(new GuardLine(GuardLine.ARM, "s1/vm", Undo.vm("/nonexistent/hotsnap-guard-test.qmp", Map.of("events", false))));
        assertTrue(agent.waitFor(GuardTimeouts.SILENCE.toMillis() + 5000, TimeUnit.MILLISECONDS), "the silent agent was killed");
        assertTrue(guard.waitFor(15, TimeUnit.SECONDS), "the guard ends once it has undone (here: tried to) what was armed");
        assertEquals(0, guard.exitValue());
    }

    @Test
    void aSilentAgentWithNothingArmedIsLeftAlone() throws Exception {
        startGuard();
        send(new GuardLine(GuardLine.ARM, "s1/vm", Undo.vm("/nonexistent/hotsnap-guard-test.qmp", Map.of())));
        send(new GuardLine(GuardLine.DISARM, "s1/vm", null));
        assertFalse(agent.waitFor(GuardTimeouts.SILENCE.toMillis() + 2000, TimeUnit.MILLISECONDS), "an agent with nothing armed lives on");
        guard.getOutputStream().close();
        assertTrue(guard.waitFor(15, TimeUnit.SECONDS), "the guard ends with its agent's pipe");
        assertTrue(agent.isAlive());
    }

    private void startGuard() throws IOException {
        agent = new ProcessBuilder("sleep", "60").start();
        guard = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                GuardMain.class.getName(), Long.toString(agent.pid())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private void send(GuardLine line) throws IOException {
        OutputStream out = guard.getOutputStream();
        out.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @AfterEach
    void stop() {
        List.of(agent, guard).forEach(p -> {
            if (p != null) {
                p.destroyForcibly();
            }
        });
    }
}
