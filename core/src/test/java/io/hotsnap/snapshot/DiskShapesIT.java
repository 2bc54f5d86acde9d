package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostCommand;
import io.hotsnap.qmp.BareQemu;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.restore.PreflightCheck;
import io.hotsnap.restore.RestoredVm;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.Abandoned;
import io.hotsnap.testing.DiskGuest;
import io.hotsnap.testing.GuestDisk;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.vm.SocketDirSource;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disks as hosts have them, each snapshotted and restored in place on a real guest (memory and disk
 * at one instant: the guest's first tick after the restore follows the tick on the disk copy):
 * a raw loop block device, libvirt's {@code -blockdev} node pairs (keyval and JSON) over a qcow2
 * backing chain, two disks beside a read-only CD-ROM. One guest per shape, started by hand as libvirt
 * would; their figures go to stderr ({@code [dk figures]}). A network disk (a real {@code qemu-nbd}
 * export on loopback) the snapshot did not copy is a red preflight line.
 */
class DiskShapesIT {

    private static final Timeouts TIMEOUTS = Timeouts.defaults();
    private static final Duration CMD = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    void aRawLoopBlockDeviceIsCopiedAndRestoredWithItsCopyAndOverlayInTheStore() throws Exception {
        Path raw = work.resolve("lv.raw");
        HostCommand.check(List.of("truncate", "-s", "16M", raw.toString()), CMD);
        String loop = HostCommand.check(List.of("losetup", "-f", "--show", raw.toString()), CMD).stdout().strip();
        try (DiskGuest guest = DiskGuest.boot(work, "dk1", List.of(
                "-blockdev", "driver=host_device,filename=" + loop + ",node-name=libvirt-1-storage,auto-read-only=on,discard=unmap",
                "-blockdev", "node-name=libvirt-1-format,read-only=off,driver=raw,file=libvirt-1-storage",
                "-device", "virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0"))) {
            Restored r = snapshotAndRestore(guest, "loop block device (-blockdev keyval, host_device under raw)", 1);

            assertEquals(loop, r.part().disks().get(0).original());
            Path overlay = Path.of(overlayOf(guest.cmdline()));
            assertEquals(r.partDir(), overlay.getParent(), "the restore's overlay is in the store");
            assertFalse(String.join(" ", guest.cmdline()).contains(loop), "the restored VM leaves the device alone");
            try (Stream<Path> dev = Files.list(Path.of("/dev"))) {
                assertEquals(List.of(), dev.filter(f -> f.getFileName().toString().contains("-from-")).toList(), "nothing made under /dev");
            }
        } finally {
            HostCommand.run(List.of("losetup", "-d", loop), CMD);
        }
    }

    @Test
    void libvirtsJsonBlockdevQcow2WithABackingChainIsCopiedWholeAndRestored() throws Exception {
        Path base = work.resolve("base.qcow2");
        Path top = work.resolve("top.qcow2");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "16M"), CMD);
        HostCommand.check(List.of("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 1M 64k", base.toString()), CMD);
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", top.toString()), CMD);
        try (DiskGuest guest = DiskGuest.boot(work, "dk2", List.of(
                "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + base + "\",\"node-name\":\"libvirt-2-storage\",\"auto-read-only\":true}",
                "-blockdev", "{\"node-name\":\"libvirt-2-format\",\"read-only\":true,\"driver\":\"qcow2\",\"file\":\"libvirt-2-storage\"}",
                "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + top + "\",\"node-name\":\"libvirt-1-storage\",\"auto-read-only\":true}",
                "-blockdev", "{\"node-name\":\"libvirt-1-format\",\"read-only\":false,\"driver\":\"qcow2\",\"file\":\"libvirt-1-storage\","
                        + "\"backing\":\"libvirt-2-format\"}",
                "-device", "virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0"))) {
            Restored r = snapshotAndRestore(guest, "-blockdev JSON qcow2 + backing chain", 1);

            assertEquals(top.toString(), r.part().disks().get(0).original());
            assertHasPattern(r.copy(0), "0x5a", "1M", "the copy holds the backing file's data");
            assertEquals(r.copy(0).toString(), backingOf(Path.of(overlayOf(guest.cmdline()))), "the overlay's backing is the copy");
        }
    }

    @Test
    void twoDisksAreCopiedAndAReadOnlyCdromIsNeitherCopiedNorInTheWay() throws Exception {
        Path a = work.resolve("a.qcow2");
        Path b = work.resolve("b.qcow2");
        Path cd = work.resolve("cd.iso");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", a.toString(), "16M"), CMD);
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", b.toString(), "8M"), CMD);
        HostCommand.check(List.of("qemu-io", "-f", "qcow2", "-c", "write -P 0xb2 2M 64k", b.toString()), CMD);
        HostCommand.check(List.of("truncate", "-s", "1M", cd.toString()), CMD);
        String cdSha = SnapshotFile.sha256(cd);
        try (DiskGuest guest = DiskGuest.boot(work, "dk3", List.of(
                "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + a + "\",\"node-name\":\"libvirt-1-storage\"}",
                "-blockdev", "{\"node-name\":\"libvirt-1-format\",\"driver\":\"qcow2\",\"file\":\"libvirt-1-storage\"}",
                "-device", "virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0",
                "-blockdev", "driver=qcow2,node-name=libvirt-2-format,file.driver=file,file.filename=" + b,
                "-device", "virtio-blk-pci,drive=libvirt-2-format,id=virtio-disk1",
                "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + cd + "\",\"node-name\":\"libvirt-3-storage\",\"auto-read-only\":true}",
                "-blockdev", "{\"node-name\":\"libvirt-3-format\",\"read-only\":true,\"driver\":\"raw\",\"file\":\"libvirt-3-storage\"}",
                "-device", "ide-cd,bus=ide.0,unit=0,drive=libvirt-3-format,id=ide0-0-0"))) {
            Restored r = snapshotAndRestore(guest, "two disks (-blockdev JSON pair, keyval nested) + read-only CD-ROM", 2);

            assertEquals(List.of(a.toString(), b.toString()), r.part().disks().stream().map(DiskCopy::original).toList(), "the CD-ROM is not copied");
            assertHasPattern(r.copy(1), "0xb2", "2M", "the second disk's copy");
            assertTrue(guest.cmdline().contains("{\"driver\":\"file\",\"filename\":\"" + cd + "\",\"node-name\":\"libvirt-3-storage\","
                    + "\"auto-read-only\":true}"), "the restored VM has its CD-ROM as recorded");
            assertEquals(cdSha, SnapshotFile.sha256(cd));
        }
    }

    @Test
    void aNetworkDiskTheSnapshotDidNotCopyIsARedPreflightLine() throws Exception {
        Path image = work.resolve("export.qcow2");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "8M"), CMD);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path nbdPid = work.resolve("qemu-nbd.pid");
        HostCommand.check(List.of("qemu-nbd", "--fork", "--pid-file", nbdPid.toString(), "-f", "qcow2", "-x", "dk", "-b", "127.0.0.1",
                "-p", Integer.toString(port), image.toString()), CMD);
        try (BareQemu qemu = BareQemu.start(
                "-blockdev", "{\"driver\":\"nbd\",\"server\":{\"type\":\"inet\",\"host\":\"127.0.0.1\",\"port\":\"" + port + "\"},"
                        + "\"export\":\"dk\",\"node-name\":\"libvirt-1-storage\"}",
                "-blockdev", "{\"node-name\":\"libvirt-1-format\",\"driver\":\"raw\",\"file\":\"libvirt-1-storage\"}",
                "-device", "virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0")) {
            try (QmpClient c = qemu.connect()) {
                c.call("cont", null, TIMEOUTS.qmpCommand());
            }
            SnapshotStore store = new SnapshotStore(work.resolve("store-nbd"));
            String id = store.create();
            VmPart part = Abandoned.retried(() -> {
                try (VmSnapshotJob job = new VmSnapshotJob("bare", new SocketDirSource.SocketEndpoint(qemu.qmpSocket()), store, id,
                        SnapshotMode.HOTSNAP, DiskMode.NONE, TIMEOUTS, e -> { })) {
                    job.prepare();
                    job.transientSnapshot();
                    return job.fullSnapshot();
                }
            });

            List<PreflightCheck> checks = new VmRestore(TIMEOUTS).preflight(store.partDir(id, "bare"), part, Optional.empty());

            PreflightCheck line = checks.stream().filter(c -> c.check().equals(PreflightCheck.COMMAND_LINE)).findFirst().orElseThrow();
            assertFalse(line.ok(), line.detail());
            assertTrue(line.detail().contains("the VM writes disk nbd {\"server\":{\"type\":\"inet\",\"host\":\"127.0.0.1\",\"port\":\"" + port
                    + "\"},\"export\":\"dk\"}"), line.detail());
        } finally {
            Optional.of(nbdPid).filter(Files::exists).map(p -> Long.parseLong(read(p))).flatMap(ProcessHandle::of)
                    .ifPresent(ProcessHandle::destroy);
        }
    }

    /** A committed snapshot of the guest and its restore in place, the figures printed; the tick on disk and in memory agreeing. */
    private Restored snapshotAndRestore(DiskGuest guest, String shape, int disks) throws Exception {
        SnapshotStore store = new SnapshotStore(work.resolve("store-" + guest.name()));
        Manifest m = Abandoned.retried(() -> new LocalSnapshots(work, store, TIMEOUTS)
                .take(List.of(guest.name()), SnapshotMode.HOTSNAP, DiskMode.COPY, e -> { }));
        VmPart part = m.vms().get(0);
        Path partDir = store.partDir(m.id(), guest.name());
        assertEquals(disks, part.disks().size(), "disks copied: " + part.disks());
        Restored r = new Restored(part, partDir);
        long tickOnCopy = GuestDisk.tickInSectorZero(r.copy(0));
        GuestLog.awaitTick(guest.serialLog(), tickOnCopy + 20, Duration.ofSeconds(60), "the guest ticks on");
        List<String> red = new VmRestore(TIMEOUTS).preflight(partDir, part, Optional.empty()).stream().filter(c -> !c.ok())
                .map(PreflightCheck::line).toList();
        assertEquals(List.of(), red, "preflight");
        long before = guest.pid();

        long start = System.nanoTime();
        RestoredVm restored = new VmRestore(TIMEOUTS).restore(m.id(), partDir, part, Optional.empty());
        double restoreMs = (System.nanoTime() - start) / 1e6;

        assertTrue(restored.pid() != before && restored.pid() == guest.pid(), "a new QEMU runs the restored VM");
        long firstTick = GuestLog.firstTick(guest.serialLog());
        // As SnapshotRestoreIT: the tick on the copy or the next is the first printed (+2 for a line the snapshot cut).
        assertTrue(firstTick >= tickOnCopy && firstTick <= tickOnCopy + 2, "first tick after restore " + firstTick + ", on the copy " + tickOnCopy);
        for (DiskCopy d : part.disks()) {
            assertEquals(d.image().sha256(), SnapshotFile.sha256(d.image().resolve(partDir)), "the snapshot stays immutable");
        }
        System.err.printf("[dk figures] %s: pause %.1f ms, copy %.0f ms (%d disk(s), %.1f MiB), restore %.0f ms (memory load %.0f ms)%n",
                shape, part.downtimeMs(), part.fullMs(), disks, part.disks().stream().mapToLong(d -> d.image().bytes()).sum() / 1048576.0,
                restoreMs, restored.loadMs());
        return r;
    }

    private record Restored(VmPart part, Path partDir) {
        Path copy(int disk) {
            return part.disks().get(disk).image().resolve(partDir);
        }
    }

    /** The file the restored QEMU's first disk option names as its overlay (the "-from-" file). */
    private static String overlayOf(List<String> cmdline) {
        return cmdline.stream().filter(a -> a.contains("-from-")).findFirst().orElseThrow()
                .replaceAll(".*filename[\"=:]+([^\",]*-from-[^\",]*).*", "$1");
    }

    private static String backingOf(Path overlay) {
        String info = HostCommand.check(List.of("qemu-img", "info", "-U", overlay.toString()), CMD).stdout();
        return info.lines().filter(l -> l.startsWith("backing file:")).findFirst().orElseThrow().substring("backing file:".length()).strip();
    }

    private static void assertHasPattern(Path qcow2, String pattern, String offset, String what) {
        HostCommand.Result r = HostCommand.run(List.of("qemu-io", "-r", "-U", "-f", "qcow2", "-c", "read -P " + pattern + " " + offset + " 64k",
                qcow2.toString()), CMD);
        assertTrue(r.ok() && !r.stdout().contains("Pattern verification failed"), what + ": " + r.stdout() + r.stderr());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
