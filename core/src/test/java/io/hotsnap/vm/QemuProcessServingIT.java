package io.hotsnap.vm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.testing.Impostor;
import io.hotsnap.testing.TestLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The QEMU behind a socket, on real QEMUs: the kernel's listener, whatever others call themselves. */
@ExtendWith(TestLab.class)
class QemuProcessServingIT {

    @Test
    void theLabQemuIsKnownByItsSocketWhileAnImpostorNamesIt(Lab lab) throws Exception {
        LabVmStatus vm = lab.status().get(0);
        Path socket = Path.of(vm.qmp());
        try (Impostor impostor = Impostor.naming(socket)) {
            QemuProcess qemu = QemuProcess.serving(socket).orElseThrow(() -> new AssertionError("no QEMU found behind " + socket));

            assertEquals(vm.pid(), qemu.pid(), "impostor pid " + impostor.pid());
            assertEquals(0, qemu.uid());
            assertEquals(Files.readSymbolicLink(Path.of("/proc", Long.toString(vm.pid()), "exe")).toString(), qemu.cmdline().get(0),
                    "the binary restore would run is the one the kernel runs");
        }
    }

    /**
     * An unprivileged user's QEMU listened first on a path of a directory it may write; root's QEMU
     * then took the path over (QEMU unlinks and binds again). Both hold a listening socket of that
     * path; only root's is reached through it, as the peer credentials tell.
     */
    @Test
    void whenAnUnprivilegedQemuListenedOnThePathFirstThePeerCredentialsChooseRoots() throws Exception {
        Path dir = Files.createTempDirectory("hs-peer");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path socket = dir.resolve("pc1.qmp");
        List<Process> started = new ArrayList<>();
        try {
            Process nobodys = qemu(started, socket, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
            awaitListening(nobodys, socket);
            Process roots = qemu(started, socket);
            awaitListening(roots, socket);

            assertEquals(roots.pid(), QemuProcess.serving(socket).map(QemuProcess::pid).orElse(-1L),
                    "root's QEMU " + roots.pid() + ", not nobody's " + nobodys.pid());
        } finally {
            for (Process p : started) {
                p.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(socket);
            Files.delete(dir);
        }
    }

    private static Process qemu(List<Process> started, Path socket, String... asUser) throws Exception {
        List<String> command = new ArrayList<>(List.of(asUser));
        command.addAll(List.of("qemu-system-x86_64", "-M", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    private static void awaitListening(Process qemu, Path socket) {
        await("QEMU " + qemu.pid() + " listens on " + socket).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .failFast("QEMU " + qemu.pid() + " ended", () -> !qemu.isAlive())
                .until(() -> SocketListener.heldBy(Path.of("/proc", Long.toString(qemu.pid())), socket));
    }
}
