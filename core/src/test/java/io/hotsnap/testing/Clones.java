package io.hotsnap.testing;

import io.hotsnap.vm.QemuProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Restored clones are no lab VMs: a lab going down leaves them, so tests that make them remove them. */
public final class Clones {

    private Clones() {
    }

    /**
     * Kills the clone's QEMU (its tap goes with it) and removes what the restore made for it: its QMP
     * socket in {@code socketDir}, and its serial log, pid file and overlays ({@code NAME.*},
     * {@code NAME-*}) in {@code vmDir}.
     */
    public static void remove(String name, Path socketDir, Path vmDir) {
        Path qmp = socketDir.resolve(name + ".qmp");
        QemuProcess.serving(qmp).ifPresent(p -> {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            QemuProcess.awaitExit(p.pid(), Duration.ofSeconds(10));
        });
        try {
            Files.deleteIfExists(qmp);
            if (Files.isDirectory(vmDir)) {
                try (var files = Files.list(vmDir)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith(name + ".")
                            || f.getFileName().toString().startsWith(name + "-")).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files in {@code dir} now, to show a refused restore made none. */
    public static List<Path> filesIn(Path dir) {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
