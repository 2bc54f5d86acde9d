package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostPaths;
import io.hotsnap.lab.GuestImage;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.testing.Abandoned;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.UnprivilegedUserfaultfd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * VMs without a disk (a kernel boot; PXE and live ISOs are the same to us), snapshotted and
 * restored in place: a plain QEMU found by its socket, named by its own {@code -name} (which
 * differs from the socket's name, and which {@code hotsnap vms} shows and {@code --vms} accepts),
 * and a libvirt domain, restored through libvirt. Each ticks on from its snapshot point. Prints
 * each one's pause, copy and restore time.
 */
class DisklessRestoreIT {

    @RegisterExtension
    static final UnprivilegedUserfaultfd UFFD = new UnprivilegedUserfaultfd();
    private static final LibvirtDomains.Domain DOMAIN = new LibvirtDomains.Domain("hs-sh-dl", "10.105.0.21", "10.105.0.22",
            "52:54:00:69:00:21");
    /** The plain QEMU's socket name and its own -name: an administrator's name is rarely the socket's. */
    private static final String SOCKET_NAME = "sh-dl0";
    private static final String QEMU_NAME = "sh-diskless-web";

    @TempDir
    static Path dir;
    static Path store;
    static LibvirtDomains domains;
    static Path qmp;
    static Path serialLog;
    static Path pidFile;

    @BeforeAll
    static void start() throws Exception {
        store = dir.resolve("store");
        domains = LibvirtDomains.prepare();
        domains.startDiskless(DOMAIN);
        GuestImage image = GuestImage.cached(LabConfig.defaults().guestCache())
                .orElseThrow(() -> new IllegalStateException("no lab guest: run ./hotsnap lab guest"));
        qmp = HostPaths.socketDir().resolve(SOCKET_NAME + ".qmp");
        serialLog = dir.resolve(SOCKET_NAME + ".serial.log");
        pidFile = dir.resolve(SOCKET_NAME + ".pid");
        Files.createDirectories(qmp.getParent());
        HostCommand.check(List.of("qemu-system-x86_64", "-name", QEMU_NAME, "-M", "pc", "-accel", "tcg", "-m", "128", "-smp", "1",
                "-nodefaults", "-no-user-config", "-display", "none", "-kernel", image.vmlinux().toString(), "-initrd",
                image.initrd().toString(), "-append", GuestImage.KERNEL_OPTIONS + " hs.name=" + SOCKET_NAME + " hs.dirty=0",
                "-serial", "file:" + serialLog, "-qmp", "unix:" + qmp + ",server=on,wait=off", "-pidfile", pidFile.toString(),
                "-daemonize"), Duration.ofSeconds(60));
        domains.awaitTicks(Duration.ofSeconds(90));
        GuestLog.awaitTick(serialLog, 1, Duration.ofSeconds(90), "the plain diskless QEMU");
    }

    @AfterAll
    static void stop() throws Exception {
        if (domains != null) {
            domains.close();
        }
        // The restored QEMU wrote the same pid file.
        if (pidFile != null && Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (qmp != null) {
            Files.deleteIfExists(qmp);
        }
    }

    @Test
    void plainQemuIsListedWithItsOwnNameAndRestoredInPlaceByIt() throws Exception {
        JsonNode vm = listed(SOCKET_NAME);
        assertEquals(QEMU_NAME, vm.path("qemuName").asText(), vm.toString());
        assertEquals(0, vm.path("disks").size(), vm.toString());
        CliRun text = CliRun.of("vms");
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith(SOCKET_NAME + " ") && l.contains(" " + QEMU_NAME + " ")),
                "the table shows both names: " + text.out());

        snapshotAndRestoreInPlace(QEMU_NAME, SOCKET_NAME, serialLog);

        assertEquals("running", listed(SOCKET_NAME).path("state").asText());
    }

    @Test
    void libvirtDomainWithoutDiskIsRestoredInPlaceThroughLibvirt() throws Exception {
        snapshotAndRestoreInPlace(DOMAIN.name(), DOMAIN.name(), DOMAIN.serialLog());

        assertEquals("running", LibvirtDomains.state(DOMAIN.name()));
        try (var left = Files.list(store)) {
            assertTrue(left.flatMap(DisklessRestoreIT::files).noneMatch(f -> f.getFileName().toString().endsWith(".save")),
                    "the save image went once libvirt had loaded it");
        }
    }

    /** Snapshot by {@code typed}, restore in place: the guest's first tick after the restore lies between the ticks around the snapshot. */
    private static void snapshotAndRestoreInPlace(String typed, String listedAs, Path log) throws Exception {
        long tickBefore = SerialLog.lastTick(log).orElseThrow();
        CliRun snap = Abandoned.retried(() -> succeeded(CliRun.of("snapshot", "--vms", typed, "--json", "--store", store.toString())));
        long tickAtReturn = SerialLog.lastTick(log).orElseThrow();
        JsonNode part = snap.json().path("vms").get(0);
        assertEquals(listedAs, part.path("name").asText(), "the VM travels under its inventory name: " + part);
        long t0 = System.nanoTime();
        CliRun restored = succeeded(CliRun.of("restore", snap.json().path("id").asText(), "--json", "--store", store.toString()));
        long restoreMs = (System.nanoTime() - t0) / 1_000_000;
        long first = GuestLog.firstTick(log);
        assertTrue(first > tickBefore && first <= tickAtReturn + 2,
                "first tick " + first + " follows the snapshot point (ticks " + tickBefore + ".." + tickAtReturn + ")");
        JsonNode vm = restored.json().path("vms").get(0);
        System.err.printf("[figure] diskless %s: pause %.1f ms, memory copy %.0f ms; restore in place %d ms (load %.0f ms)%n", listedAs,
                part.path("downtimeMs").asDouble(), part.path("fullMs").asDouble(), restoreMs, vm.path("loadMs").asDouble());
    }

    private static CliRun succeeded(CliRun r) {
        if (r.code() != 0) {
            throw new IllegalStateException(r.err().strip());
        }
        return r;
    }

    private static JsonNode listed(String name) throws Exception {
        for (JsonNode vm : succeeded(CliRun.of("vms", "--json")).json().path("vms")) {
            if (vm.path("name").asText().equals(name)) {
                return vm;
            }
        }
        throw new AssertionError(name + " is not listed");
    }

    private static java.util.stream.Stream<Path> files(Path p) {
        try {
            return Files.isDirectory(p) ? Files.walk(p).toList().stream() : java.util.stream.Stream.of(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
