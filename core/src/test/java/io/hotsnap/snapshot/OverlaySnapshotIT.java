package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.host.HostCommand;
import io.hotsnap.qmp.BareQemu;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.SocketDirSource;
import io.hotsnap.vm.VmEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --disk overlay} on a real QEMU (no guest: a disk, a running CPU, QMP): a block device's
 * overlay goes into the store, never under {@code /dev}; a failed overlay snapshot puts the VM back
 * on its own disk; a VM its manager keeps a definition of is refused.
 */
class OverlaySnapshotIT {

    private static final Timeouts TIMEOUTS = Timeouts.defaults();
    private static final Duration CMD = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    void theOverlayOfABlockDeviceIsMadePrivateInTheSnapshotNeverUnderDev() throws Exception {
        Path backing = work.resolve("lv.raw");
        HostCommand.check(List.of("truncate", "-s", "16M", backing.toString()), CMD);
        String loop = HostCommand.check(List.of("losetup", "-f", "--show", backing.toString()), CMD).stdout().strip();
        try {
            SnapshotStore store = new SnapshotStore(work.resolve("store"));
            try (BareQemu qemu = running("-drive", "file=" + loop + ",format=raw,if=virtio")) {
                String id = store.create();
                try (VmSnapshotJob job = new VmSnapshotJob("bare", endpoint(qemu, Optional.empty()), store, id, SnapshotMode.HOTSNAP,
                        DiskMode.OVERLAY, TIMEOUTS, e -> { })) {
                    job.prepare();
                    job.transientSnapshot();
                    job.fullSnapshot();
                }
                Path overlay = store.partDir(id, "bare").resolve("virtio0.overlay.qcow2");
                assertEquals(overlay.toString(), topFile(qemu), "the VM writes to the overlay in the snapshot");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(overlay)));
            }
            assertEquals(Set.of(), ours(Path.of("/dev")), "nothing created under /dev");
        } finally {
            HostCommand.run(List.of("losetup", "-d", loop), CMD);
        }
    }

    @Test
    void aFailedOverlaySnapshotPutsTheVmBackOnItsOwnDiskAndRemovesTheOverlay() throws Exception {
        Path disk = work.resolve("disk.qcow2");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "16M"), CMD);
        // A pause deadline no pause can meet: the snapshot fails after its transaction put the overlay on top.
        Timeouts impatient = new Timeouts(TIMEOUTS.qmpConnect(), TIMEOUTS.qmpCommand(), Duration.ofNanos(1_000), TIMEOUTS.guestBoot(),
                TIMEOUTS.vmQuitGrace());
        SnapshotStore store = new SnapshotStore(work.resolve("store"));
        try (BareQemu qemu = running("-drive", "file=" + disk + ",format=qcow2,if=virtio")) {
            String id = store.create();
            try (VmSnapshotJob job = new VmSnapshotJob("bare", endpoint(qemu, Optional.empty()), store, id, SnapshotMode.HOTSNAP,
                    DiskMode.OVERLAY, impatient, e -> { })) {
                job.prepare();
                assertTrue(Files.exists(Path.of(disk + ".hotsnap-" + id + ".qcow2")), "the overlay is made before the pause");

                SnapshotException e = assertThrows(SnapshotException.class, job::transientSnapshot);

                assertEquals(SnapshotException.Kind.FAILED, e.kind());
            }
            assertEquals(disk.toString(), topFile(qemu), "the VM writes on its own disk again");
            assertEquals("running", state(qemu));
            assertEquals(List.of(disk, work.resolve("store")), files(work), "the overlay is gone");
        }
    }

    @Test
    void anOverlaySnapshotOfAManagedVmIsRefusedNamingDiskCopyAndTouchesNothing() throws Exception {
        Path disk = work.resolve("disk.qcow2");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "16M"), CMD);
        SnapshotStore store = new SnapshotStore(work.resolve("store"));
        try (BareQemu qemu = running("-drive", "file=" + disk + ",format=qcow2,if=virtio")) {
            String id = store.create();
            // libvirt's own domains are in LibvirtIT; here only the manager's word is stood in for.
            try (VmSnapshotJob job = new VmSnapshotJob("bare", endpoint(qemu, Optional.of("libvirt")), store, id, SnapshotMode.HOTSNAP,
                    DiskMode.OVERLAY, TIMEOUTS, e -> { })) {
                SnapshotException e = assertThrows(SnapshotException.class, job::prepare);

                assertEquals(SnapshotException.Kind.REFUSED, e.kind());
                assertTrue(e.getMessage().contains("libvirt manages") && e.getMessage().contains("use --disk copy"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
            }
            assertEquals(disk.toString(), topFile(qemu));
            assertEquals(List.of(disk, work.resolve("store")), files(work));
        }
    }

    /** A bare QEMU with its CPU running (firmware finding nothing to boot), as a VM with no guest. */
    private static BareQemu running(String... args) throws Exception {
        BareQemu qemu = BareQemu.start(args);
        try (QmpClient c = qemu.connect()) {
            c.call("cont", null, TIMEOUTS.qmpCommand());
        }
        return qemu;
    }

    private static VmEndpoint endpoint(BareQemu qemu, Optional<String> manager) {
        VmEndpoint socket = new SocketDirSource.SocketEndpoint(qemu.qmpSocket());
        return new VmEndpoint() {
            @Override
            public String qmpTarget() {
                return socket.qmpTarget();
            }

            @Override
            public QmpClient qmpClient(Timeouts timeouts) {
                return socket.qmpClient(timeouts);
            }

            @Override
            public Optional<QemuProcess> process() {
                return socket.process();
            }

            @Override
            public Optional<String> manager() {
                return manager;
            }
        };
    }

    private static String topFile(BareQemu qemu) {
        try (QmpClient c = qemu.connect()) {
            JsonNode block = c.call("query-block", null, TIMEOUTS.qmpCommand());
            return block.get(0).path("inserted").path("file").asText();
        }
    }

    private static String state(BareQemu qemu) {
        try (QmpClient c = qemu.connect()) {
            return c.call("query-status", null, TIMEOUTS.qmpCommand()).path("status").asText();
        }
    }

    /** Files in {@code dir} a snapshot's overlay would be named as. */
    private static Set<String> ours(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(Path::toString).filter(f -> f.contains(".hotsnap-")).collect(Collectors.toSet());
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
