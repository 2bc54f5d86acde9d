package io.hotsnap.restore;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.testing.FakeQemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard with real processes: a stand-in agent (a {@code sleep}) and a stand-in paused QEMU (a
 * shell whose command line names the QMP socket, as QEMU's does).
 */
class LoadGuardTest {

    @TempDir
    Path dir;
    private Process agent;
    private Process qemu;

    @AfterEach
    void stop() {
        List.of(agent, qemu).forEach(p -> {
            if (p != null) {
                p.destroyForcibly();
            }
        });
    }

    @Test
    void whenTheAgentDiesTheLoadedQemuIsKilledAndTheLoadsFilesRemoved() throws Exception {
        Path overlay = Files.createFile(dir.resolve("vm-disk0-from-x.qcow2"));
        LoadGuard guard = guard(dir.resolve("vm.qmp"), dir.resolve("vm.qmp"), overlay);
        stays("nothing happens while the agent lives", Duration.ofMillis(300), qemu::isAlive);

        agent.destroyForcibly().waitFor();
        assertTrue(qemu.waitFor(5, TimeUnit.SECONDS), "the loaded QEMU is killed once its agent is gone");
        removed(overlay);
        guard.close();
    }

    @Test
    void aDisarmedGuardLeavesTheRunningVmAndItsFilesAlone() throws Exception {
        Path overlay = Files.createFile(dir.resolve("vm-disk0-from-x.qcow2"));
        LoadGuard guard = guard(dir.resolve("vm.qmp"), dir.resolve("vm.qmp"), overlay);
        guard.close();
        assertFalse(ProcessHandle.of(guard.pid()).map(ProcessHandle::isAlive).orElse(false), "the guard's shell has ended");

        agent.destroyForcibly().waitFor();
        stays("the resumed VM runs on", Duration.ofSeconds(1), qemu::isAlive);
        assertTrue(Files.exists(overlay), "its overlay is its disk now");
    }

    @Test
    void aPidNoLongerServingTheSocketIsNotKilled() throws Exception {
        LoadGuard guard = guard(dir.resolve("vm.qmp"), dir.resolve("other.qmp"));
        agent.destroyForcibly().waitFor();
        stays("a process that does not name the socket is someone else's", Duration.ofSeconds(1), qemu::isAlive);
        guard.close();
    }

    @Test
    void aGuardArmedBeforeItsQemuStartedKillsTheProcessListeningOnTheSocketOnceTheAgentDies() throws Exception {
        Path qmp = dir.resolve("vm.qmp");
        Path overlay = dir.resolve("vm-disk0-from-x.qcow2");
        agent = new ProcessBuilder("sleep", "600").start();
        LoadGuard guard = LoadGuard.qemuToStart(agent.pid(), qmp, List.of(overlay));
        Files.createFile(overlay);
        // A stand-in QEMU that really listens on its QMP socket, started after the guard.
        qemu = FakeQemu.inOwnProcess(qmp);

        agent.destroyForcibly().waitFor();
        assertTrue(qemu.waitFor(10, TimeUnit.SECONDS), "the QEMU started after the guard is killed once its agent is gone");
        removed(overlay);
        guard.close();
    }

    /** Starts the stand-ins, the QEMU serving {@code served}, and a guard that undoes a load of {@code guarded}. */
    private LoadGuard guard(Path served, Path guarded, Path... files) throws Exception {
        agent = new ProcessBuilder("sleep", "600").start();
        qemu = new ProcessBuilder("sh", "-c", "sleep 600", served.toString()).start();
        return LoadGuard.qemu(agent.pid(), qemu.pid(), guarded, List.of(files));
    }

    private static void removed(Path file) {
        await("the overlay is removed").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> !Files.exists(file));
    }

    /** {@code what} holds all along {@code span}: the guard had its chance to act and did not. */
    private static void stays(String what, Duration span, Callable<Boolean> condition) {
        await(what).during(span).atMost(span.plusSeconds(1)).until(condition);
    }
}
