package io.hotsnap.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.LabException;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.VmProbe;
import io.hotsnap.vm.QemuProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots that go wrong on real QEMU: a full or filling store, a QEMU killed mid-copy, damaged
 * snapshot files at restore, an unknown VM, a pause that overruns its deadline. Each must end with
 * one clear error, the VM (if alive) running on its own disks with nothing of ours left in QEMU,
 * and no snapshot committed or left half-written.
 *
 * <p>Uses it2 and it3 of the shared lab (it1 belongs to the in-place restore tests) and leaves both
 * running as they were; the test that kills QEMU brings up a one-VM lab of its own.
 */
@ExtendWith(TestLab.class)
class SnapshotFaultIT {

    private static final Timeouts TIMEOUTS = Timeouts.defaults();
    private static final long MIB = 1L << 20;
    /** The shared lab's VMs (it1, it2, it3 unless the lab's identity changes). */
    private static final String VM1 = TestLab.config().namePrefix() + 1;
    private static final String VM2 = TestLab.config().namePrefix() + 2;
    private static final String VM3 = TestLab.config().namePrefix() + 3;

    @TempDir
    Path tmp;

    private final List<Path> mounts = new ArrayList<>();
    private final List<SnapshotEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void unmountTmpfs() {
        for (Path m : mounts) {
            if (!HostCommand.run(List.of("umount", m.toString()), Duration.ofSeconds(20)).ok()) {
                HostCommand.run(List.of("umount", "-l", m.toString()), Duration.ofSeconds(20));
            }
        }
    }

    // --- 1. the store's file system ---------------------------------------------------------

    @Test
    void aStoreWithoutRoomForMemoryAndDisksIsRefusedBeforeTheVmIsTouched(Lab lab) throws IOException {
        LabVmStatus it2 = vm(lab, VM2);
        long pid = pidOf(it2);
        SnapshotStore store = new SnapshotStore(tmpfs("small", "8m").resolve("snapshots"));

        SnapshotException e = assertThrows(SnapshotException.class,
                () -> snapshots(lab, store).take(List.of(VM2), SnapshotMode.HOTSNAP, DiskMode.COPY, events::add));

        assertEquals(SnapshotException.Kind.REFUSED, e.kind(), e.getMessage());
        assertContains(e.getMessage(), VM2, "not enough free space", store.root().toString(), "MiB needed");
        assertTrue(events.isEmpty(), "a refused snapshot must not pause or copy anything: " + events);
        assertNoSnapshotLeft(store);
        assertRunningUntouched(it2, pid);
    }

    @Test
    void aStoreThatFillsUpDuringTheCopyFailsWithTheReasonAndLeavesTheVmRunningAndClean(Lab lab) throws IOException {
        LabVmStatus it2 = vm(lab, VM2);
        long pid = pidOf(it2);
        // Room for 256 MiB of guest memory and the 16 MiB disk: eligible. Filled after prepare().
        Path fs = tmpfs("filling", "300m");
        SnapshotStore store = new SnapshotStore(fs.resolve("snapshots"));
        String id = store.create();
        SnapshotException e;
        try (VmSnapshotJob job = new VmSnapshotJob(VM2, Path.of(it2.qmp()), store, id, SnapshotMode.HOTSNAP, DiskMode.COPY,
                TIMEOUTS, events::add)) {
            job.prepare();
            long left = fill(fs, MIB / 2);
            System.err.println("[fault] store filled; " + left + " bytes left");
            e = assertThrows(SnapshotException.class, () -> {
                job.transientSnapshot();
                job.fullSnapshot();
            });
        }
        System.err.println("[fault] store filled during the copy: " + e.getMessage());

        assertEquals(SnapshotException.Kind.FAILED, e.kind(), e.getMessage());
        assertContains(e.getMessage(), VM2, "No space left on device");
        assertFalse(Files.exists(store.partDir(id, VM2)), "partial files left in " + store.partDir(id, VM2));
        assertTrue(store.list().isEmpty(), "committed: " + store.list());
        assertFalse(events.stream().anyMatch(ev -> ev instanceof SnapshotEvent.Phase p && p.phase().equals("full-done")), events.toString());
        assertRunningUntouched(it2, pid);
        store.delete(id);
    }

    // --- 2. QEMU dies -----------------------------------------------------------------------

    @Test
    void qemuKilledDuringTheFullSnapshotFailsItAndLeavesNoFilesAndNoManifest() throws IOException {
        LabConfig defaults = LabConfig.defaults();
        LabConfig config = defaults.withVms(1).withDirtyMiBps(50)
                .withDir(defaults.socketDir().resolve("sf-fault-lab"))
                .withIdentity("sf", "hsbr-sf", "10.74.0");
        Lab faultLab = new Lab(config, TIMEOUTS);
        if (faultLab.isUp()) {
            faultLab.down(note -> { });
        }
        try {
            LabVmStatus sf1 = faultLab.up(note -> System.err.println("[fault lab] " + note)).get(0);
            SnapshotStore store = new SnapshotStore(tmp.resolve("snapshots"));
            AtomicLong memoryAtKill = new AtomicLong(-1);
            Consumer<SnapshotEvent> killAfterTransient = ev -> {
                events.add(ev);
                if (ev instanceof SnapshotEvent.Phase p && p.phase().equals("transient-done")) {
                    memoryAtKill.set(memoryWritten(store, "sf1"));
                    ProcessHandle qemu = ProcessHandle.of(sf1.pid()).orElseThrow();
                    qemu.destroyForcibly(); // SIGKILL
                    qemu.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                }
            };

            long start = System.nanoTime();
            SnapshotException e = assertThrows(SnapshotException.class, () -> new LocalSnapshots(config.socketDir(), store, TIMEOUTS)
                    .take(List.of("sf1"), SnapshotMode.HOTSNAP, DiskMode.COPY, killAfterTransient));
            long failedAfterMs = (System.nanoTime() - start) / 1_000_000;
            System.err.println("[fault] QEMU killed with " + memoryAtKill.get() + " bytes of memory written; failed after "
                    + failedAfterMs + " ms: " + e.getMessage());

            assertTrue(memoryAtKill.get() >= 0, "QEMU was never killed: no transient-done in " + events);
            assertEquals(SnapshotException.Kind.FAILED, e.kind(), e.getMessage());
            assertContains(e.getMessage(), "sf1");
            assertFalse(events.stream().anyMatch(ev -> ev instanceof SnapshotEvent.Phase p && p.phase().equals("full-done")), events.toString());
            assertNoSnapshotLeft(store);
            assertTrue(failedAfterMs < 30_000, "a dead QEMU must fail the snapshot promptly, not after every timeout: " + failedAfterMs + " ms");
        } finally {
            try {
                faultLab.down(note -> System.err.println("[fault lab] " + note));
            } catch (LabException ignored) {
                // never came up
            }
        }
    }

    // --- 3. damaged snapshot at restore -----------------------------------------------------

    @Test
    void restoreOfASnapshotWithAMissingOrAlteredFileIsRefusedAndTheRunningVmIsLeftAlone(Lab lab) throws IOException {
        LabVmStatus it2 = vm(lab, VM2);
        SnapshotStore store = new SnapshotStore(tmp.resolve("snapshots"));
        Manifest manifest = snapshots(lab, store).take(List.of(VM2), SnapshotMode.HOTSNAP, DiskMode.COPY, events::add);
        long pid = pidOf(it2);
        VmPart part = manifest.vms().get(0);
        Path partDir = store.partDir(manifest.id(), VM2);
        VmRestore restore = new VmRestore(TIMEOUTS);

        Path memory = part.memory().resolve(partDir);
        Path away = memory.resolveSibling("memory.img.away");
        Files.move(memory, away);
        SnapshotException missing = assertThrows(SnapshotException.class,
                () -> restore.restore(manifest.id(), partDir, part, Optional.empty()));
        assertEquals(SnapshotException.Kind.REFUSED, missing.kind(), missing.getMessage());
        assertContains(missing.getMessage(), memory.toString(), "missing");
        assertRunningUntouched(it2, pid);
        assertNoRestoreOverlays(it2);

        SnapshotException missingForClone = assertThrows(SnapshotException.class,
                () -> restore.restore(manifest.id(), partDir, part, Optional.of(VM2 + "-faultclone")));
        assertEquals(SnapshotException.Kind.REFUSED, missingForClone.kind(), missingForClone.getMessage());
        assertFalse(Files.exists(Path.of(it2.qmp()).resolveSibling(VM2 + "-faultclone.qmp")), "a clone was started");
        assertTrue(QemuProcess.serving(Path.of(it2.qmp()).resolveSibling(VM2 + "-faultclone.qmp")).isEmpty(), "a clone runs");
        Files.move(away, memory);

        Path disk = part.disks().get(0).image().resolve(partDir);
        flipByte(disk, Files.size(disk) / 2);
        SnapshotException altered = assertThrows(SnapshotException.class,
                () -> restore.restore(manifest.id(), partDir, part, Optional.empty()));
        assertEquals(SnapshotException.Kind.REFUSED, altered.kind(), altered.getMessage());
        assertContains(altered.getMessage(), disk.toString(), "altered");
        assertRunningUntouched(it2, pid);
        assertNoRestoreOverlays(it2);
        System.err.println("[fault] refused restores: " + missing.getMessage() + " | " + altered.getMessage());
    }

    // --- 4. unknown VM ----------------------------------------------------------------------

    @Test
    void anUnknownVmIsRefusedByNameWithTheKnownVmsListedAndNothingCreated(Lab lab) {
        LabVmStatus it2 = vm(lab, VM2);
        long pid = pidOf(it2);
        SnapshotStore store = new SnapshotStore(tmp.resolve("snapshots"));

        SnapshotException e = assertThrows(SnapshotException.class, () -> snapshots(lab, store)
                .take(List.of(VM2, "no-such-vm"), SnapshotMode.HOTSNAP, DiskMode.COPY, events::add));

        assertEquals(SnapshotException.Kind.REFUSED, e.kind(), e.getMessage());
        assertContains(e.getMessage(), "'no-such-vm'", "known:", VM1, VM2, VM3);
        assertFalse(Files.exists(store.root()), "the store was created for a refused snapshot");
        assertTrue(events.isEmpty(), events.toString());
        assertRunningUntouched(it2, pid);
    }

    /**
     * Refusing a VM because someone else's migration is under way must leave that migration alone.
     * Disabled: the engine cancels it (LocalSnapshots.take aborts every job, the refused one too, and
     * VmSnapshotJob.abort sends migrate_cancel unconditionally). See the report.
     */
    @Test
    @Disabled("engine bug: a refused VmSnapshotJob is aborted and its abort() cancels a migration it did not start")
    void aVmRefusedForAnotherMigrationKeepsThatMigrationRunning(Lab lab) throws Exception {
        LabVmStatus it3 = vm(lab, VM3);
        Path qmpSocket = Path.of(it3.qmp());
        Path sink = tmp.resolve("other-migration.sock");
        long bandwidthBefore;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sink));
            Thread drain = new Thread(() -> drain(server), "other-migration-sink");
            drain.setDaemon(true);
            drain.start();
            try (QmpClient qmp = connect(qmpSocket)) {
                bandwidthBefore = qmp.call("query-migrate-parameters", null, TIMEOUTS.qmpCommand()).path("max-bandwidth").asLong();
                // 64 KiB/s: 256 MiB would take an hour, so it is still running when we look again.
                qmp.call("migrate-set-parameters", Map.of("max-bandwidth", 64 * 1024), TIMEOUTS.qmpCommand());
                qmp.call("migrate", Map.of("uri", "unix:" + sink), TIMEOUTS.qmpCommand());
            }
            try {
                SnapshotException e = assertThrows(SnapshotException.class, () -> snapshots(lab, new SnapshotStore(tmp.resolve("snapshots")))
                        .take(List.of(VM3), SnapshotMode.HOTSNAP, DiskMode.COPY, events::add));
                assertEquals(SnapshotException.Kind.REFUSED, e.kind(), e.getMessage());
                assertContains(e.getMessage(), "migration is already in progress");
                assertEquals("active", VmProbe.of(qmpSocket).migrationStatus(), "the administrator's migration was cancelled by a refusal");
            } finally {
                try (QmpClient qmp = connect(qmpSocket)) {
                    qmp.call("migrate_cancel", null, TIMEOUTS.qmpCommand());
                    awaitNoMigration(qmp);
                    qmp.call("migrate-set-parameters", Map.of("max-bandwidth", bandwidthBefore), TIMEOUTS.qmpCommand());
                    if (!qmp.call("query-status", null, TIMEOUTS.qmpCommand()).path("running").asBoolean()) {
                        qmp.call("cont", null, TIMEOUTS.qmpCommand());
                    }
                }
            }
        }
        assertTrue(VmProbe.of(qmpSocket).running());
    }

    // --- 5. the pause deadline --------------------------------------------------------------

    @Test
    void aPauseLongerThanTheDeadlineAbandonsTheSnapshotAndTheVmRuns(Lab lab) {
        LabVmStatus it3 = vm(lab, VM3);
        long pid = pidOf(it3);
        SnapshotStore store = new SnapshotStore(tmp.resolve("snapshots"));
        Timeouts oneMs = new Timeouts(TIMEOUTS.qmpConnect(), TIMEOUTS.qmpCommand(), Duration.ofMillis(1), TIMEOUTS.guestBoot(),
                TIMEOUTS.vmQuitGrace());

        SnapshotException e = assertThrows(SnapshotException.class, () -> new LocalSnapshots(lab.config().socketDir(), store, oneMs)
                .take(List.of(VM3), SnapshotMode.HOTSNAP, DiskMode.COPY, events::add));
        System.err.println("[fault] 1 ms pause deadline: " + e.getMessage());

        assertEquals(SnapshotException.Kind.FAILED, e.kind(), e.getMessage());
        assertContains(e.getMessage(), VM3, "1 ms deadline", "abandoned");
        assertNoSnapshotLeft(store);
        assertRunningUntouched(it3, pid);
    }

    @Test
    void aSnapshotThreadStuckWhileTheVmIsPausedStillGetsTheVmResumedByTheDeadline(Lab lab) throws Exception {
        LabVmStatus it3 = vm(lab, VM3);
        long pid = pidOf(it3);
        Path serial = Path.of(it3.serialLog());
        SnapshotStore store = new SnapshotStore(tmp.resolve("snapshots"));
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The thread that paused the VM hangs right after STOP (a stuck or dying coordinator).
        Consumer<SnapshotEvent> hangAtStop = ev -> {
            events.add(ev);
            if (ev instanceof SnapshotEvent.Phase p && p.phase().equals("STOP")) {
                paused.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Manifest> taking = taker.submit(() -> snapshots(lab, store)
                    .take(List.of(VM3), SnapshotMode.HOTSNAP, DiskMode.COPY, hangAtStop));
            assertTrue(paused.await(60, TimeUnit.SECONDS), "the snapshot never paused " + VM3 + ": " + events);
            long stoppedAt = System.nanoTime();
            long tickAtStop = SerialLog.lastTick(serial).orElseThrow();
            // The guest prints a tick every 100 ms while it runs; the guard must resume it after 500 ms.
            long ticksResumedMs = -1;
            long bound = TIMEOUTS.pausedDeadline().toMillis() + 5_000;
            while ((System.nanoTime() - stoppedAt) / 1_000_000 < bound) {
                if (SerialLog.lastTick(serial).orElse(0) >= tickAtStop + 3) {
                    ticksResumedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
                    break;
                }
                Thread.sleep(20);
            }
            boolean stillStuck = paused.getCount() == 0 && !taking.isDone();
            release.countDown();
            System.err.println("[fault] guest ticking again " + ticksResumedMs + " ms after STOP while the snapshot thread was stuck");
            assertTrue(ticksResumedMs >= 0, VM3 + " did not run again within " + bound + " ms of STOP while the snapshot thread hung");
            assertTrue(stillStuck, "the snapshot thread was not stuck while we watched: the test proved nothing");

            ExecutionException failed = assertThrows(ExecutionException.class, () -> taking.get(60, TimeUnit.SECONDS));
            SnapshotException e = assertInstanceOf(SnapshotException.class, failed.getCause());
            System.err.println("[fault] stuck snapshot thread: " + e.getMessage());
            assertEquals(SnapshotException.Kind.FAILED, e.kind(), e.getMessage());
            assertContains(e.getMessage(), VM3, "deadline", "abandoned");
        } finally {
            release.countDown();
            taker.shutdownNow();
            taker.awaitTermination(60, TimeUnit.SECONDS);
        }
        assertNoSnapshotLeft(store);
        assertRunningUntouched(it3, pid);
    }

    // --- helpers ----------------------------------------------------------------------------

    private static LocalSnapshots snapshots(Lab lab, SnapshotStore store) {
        return new LocalSnapshots(lab.config().socketDir(), store, TIMEOUTS);
    }

    private static LabVmStatus vm(Lab lab, String name) {
        LabVmStatus vm = lab.status().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the test lab has no " + name));
        assertEquals("running", vm.state(), name + " must be running before the test");
        return vm;
    }

    private static long pidOf(LabVmStatus vm) {
        return QemuProcess.serving(Path.of(vm.qmp())).map(QemuProcess::pid)
                .orElseThrow(() -> new AssertionError("no QEMU serves " + vm.qmp()));
    }

    /** Same QEMU process, running (not paused), with no capability, node, job or migration of ours left. */
    private static void assertRunningUntouched(LabVmStatus vm, long pid) {
        assertEquals(pid, pidOf(vm), vm.name() + " was restarted");
        VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
        assertEquals("running", probe.runStatus(), vm.name() + ": " + probe);
        assertTrue(probe.runningAndClean(), vm.name() + " left with snapshot state: " + probe);
    }

    /** Nothing committed, and no snapshot directory (so no partial files) left in the store. */
    private static void assertNoSnapshotLeft(SnapshotStore store) {
        assertTrue(store.list().isEmpty(), "committed snapshots: " + store.list());
        if (Files.isDirectory(store.root())) {
            try (Stream<Path> left = Files.list(store.root())) {
                List<Path> entries = left.toList();
                assertTrue(entries.isEmpty(), "left in the store: " + entries);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static void assertNoRestoreOverlays(LabVmStatus vm) throws IOException {
        try (DirectoryStream<Path> overlays = Files.newDirectoryStream(Path.of(vm.disk()).getParent(), vm.name() + "-*-from-*.qcow2")) {
            List<Path> made = new ArrayList<>();
            overlays.forEach(made::add);
            assertTrue(made.isEmpty(), "a refused restore created overlays: " + made);
        }
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
    }

    private Path tmpfs(String name, String size) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        HostCommand.check(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString()),
                Duration.ofSeconds(20));
        mounts.add(dir);
        return dir;
    }

    /** Fills the file system of {@code dir} with a ballast file until {@code leave} bytes are free; returns what is free. */
    private static long fill(Path dir, long leave) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        ByteBuffer ones = ByteBuffer.allocate((int) (4 * MIB));
        while (ones.hasRemaining()) {
            ones.put((byte) 0x5a);
        }
        try (FileChannel ballast = FileChannel.open(dir.resolve("ballast"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long toWrite = free - leave;
            while (toWrite > 0) {
                ones.clear().limit((int) Math.min(ones.capacity(), toWrite));
                toWrite -= ballast.write(ones);
            }
        }
        return Files.getFileStore(dir).getUsableSpace();
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xff);
        }
    }

    /** Bytes of the memory image written so far by the snapshot in progress of {@code vm} (the store has one). */
    private static long memoryWritten(SnapshotStore store, String vm) {
        try (Stream<Path> ids = Files.list(store.root())) {
            return ids.map(id -> id.resolve(vm).resolve("memory.img")).filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static QmpClient connect(Path socket) {
        QmpClient qmp = new QmpClient(socket, TIMEOUTS);
        qmp.connect(Duration.ofSeconds(10));
        return qmp;
    }

    private static void awaitNoMigration(QmpClient qmp) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String status = qmp.call("query-migrate", null, TIMEOUTS.qmpCommand()).path("status").asText("none");
            if (!List.of("setup", "active", "cancelling", "device").contains(status)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static void drain(ServerSocketChannel server) {
        try (SocketChannel in = server.accept()) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (in.read(buf) >= 0) {
                buf.clear();
            }
        } catch (IOException ignored) {
            // the migration was cancelled
        }
    }
}
