package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotsnap.testing.FakeQemu;
import io.hotsnap.testing.Impostor;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QEMU behind a socket is the process the kernel says listens there, whatever others call themselves. */
class QemuProcessServingTest {

    @Test
    void anUnprivilegedProcessNamedQemuThatNamesTheSocketIsNotTakenForTheVm(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("vm1.qmp");
        try (FakeQemu listener = FakeQemu.mute(socket); Impostor impostor = Impostor.naming(socket)) {
            assertEquals(Optional.empty(), QemuProcess.serving(socket).map(QemuProcess::pid),
                    "the listener is this JVM, not a QEMU; impostor pid " + impostor.pid());
        }
    }

    @Test
    void aStaleSocketIsServedByNoOneEvenWithAnImpostorNamingIt(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("vm1.qmp");
        FakeQemu.stale(socket);
        try (Impostor impostor = Impostor.naming(socket)) {
            assertEquals(Optional.empty(), QemuProcess.serving(socket).map(QemuProcess::pid),
                    "nothing listens; impostor pid " + impostor.pid());
        }
    }
}
