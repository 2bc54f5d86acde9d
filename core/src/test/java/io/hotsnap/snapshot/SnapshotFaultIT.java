package io.hotsnap.snapshot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.testing.FaultLab;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.TestLab;
import io.hotsnap.testing.VmProbe;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.SocketDirSource;
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
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots that go wrong on real QEMU: a full or filling store, a QEMU killed mid-copy, damaged
 * snapshot files at restore, an unknown VM, a pause that overruns its deadline. Each must end with
 * one clear error, the VM (if alive) running on its own disks with nothing of ours left in QEMU,
 * and no snapshot committed or left half-written.
 *
 * <p>Faults that leave QEMU intact use it2 and it3 of the shared lab (it1 belongs to the in-place
 * restore tests) and leave both running as they were. Faults that can kill or wreck the VM (SIGKILL,
 * a copy that breaks off) run on a one-VM {@link FaultLab} of this class's own, last.
 *
 * <p>Three tests are disabled because the engine fails them today (each says why): a refusal that
 * cancels someone else's migration, and two background-snapshot copies that break off after they
 * began (store full; pause deadline overrun), which on QEMU 7.2 leave a frozen guest or a
 * deadlocked QEMU. Enable them with the fix.
 */
@ExtendWith(TestLab.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotFaultIT {

    private static final FaultLab FAULT_LAB = new FaultLab("sf", "hsbr-sf", "10.74.0");

    private static final Timeouts TIMEOUTS = Timeouts.defaults();
    private static final long MIB = 1L << 20;
    /**
     * What the store keeps free once filled: the copy runs a while, then meets ENOSPC. (Not less:
     * QEMU 7.2 deadlocks when a background snapshot breaks off in its first few hundred KiB.)
     */
    private static final long FILL_LEAVES = 16 * MIB;
    /** The shared lab's VMs (it1, it2, it3 unless the lab's identity changes). */
    private static final String VM1 = TestLab.config().namePrefix() + 1;
    private static final String VM2 = TestLab.config().namePrefix() + 2;
    private static final String VM3 = TestLab.config().namePrefix() + 3;

    @TempDir
    Path tmp;

    private final List<Path> mounts = new ArrayList<>();
    private final List<SnapshotEvent> events = new CopyOnWriteArrayList<>();

    @AfterAll
    static void faultLabDown() {
        FAULT_LAB.close();
    }

    @AfterEach
    void unmountTmpfs() {
        for (Path m : mounts) {
            if (!HostCommand.run(List.of("umount", m.toString()), Duration.ofSeconds(20)).ok()) {
                HostCommand.run(List.of("umount", "-l", m.toString()), Duration.ofSeconds(20));
            }
        }
    }

    // --- on the shared lab: faults that leave QEMU whole ---------------------------------------

    @Test
    @Order(1)
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
    @Order(2)
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

    @Test
    @Order(3)
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

        String cloneName = VM2 + "-faultclone";
        Path cloneQmp = Path.of(it2.qmp()).resolveSibling(cloneName + ".qmp");
        SnapshotException missingForClone = assertThrows(SnapshotException.class,
                () -> restore.restore(manifest.id(), partDir, part, Optional.of(cloneName)));
        assertEquals(SnapshotException.Kind.REFUSED, missingForClone.kind(), missingForClone.getMessage());
        assertFalse(Files.exists(cloneQmp), "a clone was started for a refused restore");
        assertTrue(QemuProcess.serving(cloneQmp).isEmpty(), "a clone runs");
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

    @Test
    @Order(4)
    void aSnapshotThreadThatHangsThenDiesWhileTheVmIsPausedLeavesTheVmRunning(Lab lab) throws Exception {
        LabVmStatus it3 = vm(lab, VM3);
        long pid = pidOf(it3);
        Path serial = Path.of(it3.serialLog());
        SnapshotStore store = new SnapshotStore(tmp.resolve("snapshots"));
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The thread that paused the VM hangs right after STOP, then dies (a stuck, then lost, coordinator).
        Consumer<SnapshotEvent> hangThenDieAtStop = ev -> {
            events.add(ev);
            if (ev instanceof SnapshotEvent.Phase p && p.phase() == SnapshotPhase.STOP) {
                paused.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the coordinator died");
            }
        };
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Manifest> taking = taker.submit(() -> snapshots(lab, store)
                    .take(List.of(VM3), SnapshotMode.HOTSNAP, DiskMode.COPY, hangThenDieAtStop));
            assertTrue(paused.await(60, TimeUnit.SECONDS), "the snapshot never paused " + VM3 + ": " + events);
            long stoppedAt = System.nanoTime();
            long tickAtStop = SerialLog.lastTick(serial).orElseThrow();
            // The guest prints a tick every 100 ms while it runs; the pause guard must resume it after 500 ms.
            long resumedAfterMs = -1;
            long bound = TIMEOUTS.pausedDeadline().toMillis() + 5_000;
            try {
                await().atMost(Duration.ofMillis(bound)).pollInterval(Duration.ofMillis(20))
                        .until(() -> SerialLog.lastTick(serial).orElse(0) >= tickAtStop + 3);
                resumedAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            } catch (ConditionTimeoutException stillPaused) {
                // Asserted below, once the hung snapshot thread is released.
            }
            boolean threadStillHung = !taking.isDone();
            release.countDown();
            System.err.println("[fault] guest ticking again " + resumedAfterMs + " ms after STOP while the snapshot thread hung");
            assertTrue(resumedAfterMs >= 0, VM3 + " did not run again within " + bound + " ms of STOP while the snapshot thread hung");
            assertTrue(threadStillHung, "the snapshot thread was not hung while we watched: the test proved nothing");

            ExecutionException failed = assertThrows(ExecutionException.class, () -> taking.get(60, TimeUnit.SECONDS));
            SnapshotException e = assertInstanceOf(SnapshotException.class, failed.getCause());
            System.err.println("[fault] dead snapshot thread: " + e.getMessage());
            assertEquals(SnapshotException.Kind.FAILED, e.kind(), e.getMessage());
            assertContains(e.getMessage(), VM3, "the coordinator died");
        } finally {
            release.countDown();
            taker.shutdownNow();
            assertTrue(taker.awaitTermination(60, TimeUnit.SECONDS), "the snapshot thread never ended");
        }
        assertNoSnapshotLeft(store);
        assertRunningUntouched(it3, pid);
    }

    /**
     * Refusing a VM because someone else's migration is under way must leave that migration alone
     * (an abort cancels only a migration the job itself started).
     */
    @Test
    @Order(5)
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

    // --- on the fault lab: faults that may kill or wreck QEMU -----------------------------------

    /**
     * Cleanup only: the guest's health after this fault is what the disabled test below asks, and
     * QEMU 7.2 leaves it frozen (see there).
     */
    @Test
    @Order(10)
    void aStoreThatFillsUpDuringTheCopyFailsTheSnapshotAndRemovesItsFilesNodesAndCapabilities() throws IOException {
        LabVmStatus vm = FAULT_LAB.vm();
        long pid = pidOf(vm);
        SnapshotStore store = new SnapshotStore(tmpfs("filling", "300m").resolve("snapshots"));
        String id = store.create();

        SnapshotException e = snapshotIntoAStoreThatFillsUp(vm, store, id);

        assertEquals(SnapshotException.Kind.FAILED, e.kind(), e.getMessage());
        assertContains(e.getMessage(), vm.name());
        assertFalse(Files.exists(store.partDir(id, vm.name())), "partial files left in " + store.partDir(id, vm.name()));
        assertTrue(store.list().isEmpty(), "committed: " + store.list());
        assertFalse(events.stream().anyMatch(ev -> ev instanceof SnapshotEvent.Phase p && p.phase() == SnapshotPhase.FULL_DONE), events.toString());
        assertEquals(pid, pidOf(vm));
        VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
        assertTrue(probe.runningAndClean(), "snapshot state left in QEMU: " + probe);
        store.delete(id);
    }

    /**
     * What the administrator needs after a store filled up mid-copy: the cause in the error, a guest
     * that runs on, and a VM that can be snapshotted again once there is room. A background snapshot
     * cut off mid-stream leaves QEMU 7.2's guest RAM write-protected (frozen guest, later background
     * snapshots refused), so the engine drains the stream to its end and reports its own cause.
     */
    @Test
    @Order(11)
    void aStoreThatFillsUpDuringTheCopyIsReportedAsFullAndTheGuestRunsOnAndCanBeSnapshottedAgain() throws IOException {
        LabVmStatus vm = FAULT_LAB.freshVm();
        long pid = pidOf(vm);
        SnapshotStore store = new SnapshotStore(tmpfs("filling", "300m").resolve("snapshots"));
        String id = store.create();

        SnapshotException e = snapshotIntoAStoreThatFillsUp(vm, store, id);
        assertRunningUntouched(vm, pid);
        assertContains(e.getMessage(), vm.name(), "No space left on device");
        store.delete(id);

        SnapshotStore roomy = new SnapshotStore(tmp.resolve("snapshots"));
        new LocalSnapshots(FAULT_LAB.socketDir(), roomy, TIMEOUTS).take(List.of(vm.name()), SnapshotMode.HOTSNAP, DiskMode.COPY, events::add);
        assertEquals(1, roomy.list().size());
    }

    /**
     * A pause that overruns its deadline: the guard resumes the VM, the snapshot is abandoned. The
     * abandoned background snapshot is drained, not cancelled: cancelling QEMU 7.2's just after it
     * began deadlocks QEMU (a vCPU blocked in a write-protect fault holds the BQL).
     */
    @Test
    @Order(12)
    void aPauseLongerThanTheDeadlineAbandonsTheSnapshotAndTheVmRuns() {
        LabVmStatus vm = FAULT_LAB.freshVm();
        long pid = pidOf(vm);
        SnapshotStore store = new SnapshotStore(tmp.resolve("snapshots"));
        Timeouts oneMs = new Timeouts(TIMEOUTS.qmpConnect(), TIMEOUTS.qmpCommand(), Duration.ofMillis(1), TIMEOUTS.guestBoot(),
                TIMEOUTS.vmQuitGrace());

        SnapshotException e = assertThrows(SnapshotException.class, () -> new LocalSnapshots(FAULT_LAB.socketDir(), store, oneMs)
                .take(List.of(vm.name()), SnapshotMode.HOTSNAP, DiskMode.COPY, events::add));
        System.err.println("[fault] 1 ms pause deadline: " + e.getMessage());

        assertEquals(SnapshotException.Kind.FAILED, e.kind(), e.getMessage());
        assertContains(e.getMessage(), vm.name(), "1 ms deadline", "abandoned");
        assertNoSnapshotLeft(store);
        assertRunningUntouched(vm, pid);
    }

    /** Last: it kills the fault lab's QEMU. */
    @Test
    @Order(20)
    void qemuKilledDuringTheFullSnapshotFailsItPromptlyAndLeavesNoFilesAndNoManifest() {
        LabVmStatus vm = FAULT_LAB.freshVm();
        SnapshotStore store = new SnapshotStore(tmp.resolve("snapshots"));
        AtomicLong memoryAtKill = new AtomicLong(-1);
        Consumer<SnapshotEvent> killAfterTransient = ev -> {
            events.add(ev);
            if (ev instanceof SnapshotEvent.Phase p && p.phase() == SnapshotPhase.TRANSIENT_DONE) {
                memoryAtKill.set(memoryWritten(store, vm.name()));
                ProcessHandle qemu = ProcessHandle.of(vm.pid()).orElseThrow();
                qemu.destroyForcibly(); // SIGKILL
                qemu.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            }
        };

        long start = System.nanoTime();
        SnapshotException e = assertThrows(SnapshotException.class, () -> new LocalSnapshots(FAULT_LAB.socketDir(), store, TIMEOUTS)
                .take(List.of(vm.name()), SnapshotMode.HOTSNAP, DiskMode.COPY, killAfterTransient));
        long failedAfterMs = (System.nanoTime() - start) / 1_000_000;
        System.err.println("[fault] QEMU killed with " + memoryAtKill.get() + " bytes of memory written; failed after "
                + failedAfterMs + " ms: " + e.getMessage());

        assertTrue(memoryAtKill.get() >= 0, "QEMU was never killed: no transient-done in " + events);
        assertEquals(SnapshotException.Kind.FAILED, e.kind(), e.getMessage());
        assertContains(e.getMessage(), vm.name(), "QEMU");
        assertFalse(events.stream().anyMatch(ev -> ev instanceof SnapshotEvent.Phase p && p.phase() == SnapshotPhase.FULL_DONE), events.toString());
        assertNoSnapshotLeft(store);
        assertTrue(failedAfterMs < 30_000, "a dead QEMU must fail the snapshot promptly, not after every timeout: " + failedAfterMs + " ms");
    }

    // --- helpers ----------------------------------------------------------------------------

    /**
     * Drives one VM's snapshot step by step into {@code store} (a tmpfs with room for the guest's
     * memory and disk, so eligible), filling the file system between prepare and the pause.
     */
    private SnapshotException snapshotIntoAStoreThatFillsUp(LabVmStatus vm, SnapshotStore store, String id) throws IOException {
        SnapshotException e;
        try (VmSnapshotJob job = new VmSnapshotJob(vm.name(), new SocketDirSource.SocketEndpoint(Path.of(vm.qmp())), store, id, SnapshotMode.HOTSNAP, DiskMode.COPY,
                TIMEOUTS, events::add)) {
            job.prepare();
            long left = fill(store.root().getParent(), FILL_LEAVES);
            System.err.println("[fault] store filled; " + (left >> 20) + " MiB left");
            long start = System.nanoTime();
            e = assertThrows(SnapshotException.class, () -> {
                job.transientSnapshot();
                job.fullSnapshot();
            }, "the snapshot fitted into " + (left >> 20) + " MiB: nothing was tested");
            System.err.println("[fault] store full during the copy, failed after " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                    + e.getMessage());
        }
        return e;
    }

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

    /**
     * Same QEMU process, running (not paused) with no capability, node, job or migration of ours
     * left, and its guest really running: QEMU can say "running" of a guest that is frozen.
     */
    private static void assertRunningUntouched(LabVmStatus vm, long pid) {
        assertEquals(pid, pidOf(vm), vm.name() + " was restarted");
        VmProbe probe = VmProbe.of(Path.of(vm.qmp()));
        assertEquals("running", probe.runStatus(), vm.name() + ": " + probe);
        assertTrue(probe.runningAndClean(), vm.name() + " left with snapshot state: " + probe);
        assertGuestTicks(vm);
    }

    /** The guest prints a tick every 100 ms of its time; a few new ones within seconds, even under a slow TCG. */
    private static void assertGuestTicks(LabVmStatus vm) {
        Path serial = Path.of(vm.serialLog());
        long before = SerialLog.lastTick(serial).orElse(-1);
        GuestLog.awaitTick(serial, before + 2, Duration.ofSeconds(10), vm.name() + "'s guest is frozen, though QEMU says it runs");
    }

    /** Nothing committed, and no snapshot directory (so no partial files) left in the store. */
    private static void assertNoSnapshotLeft(SnapshotStore store) {
        assertTrue(store.list().isEmpty(), "committed snapshots: " + store.list());
        if (Files.isDirectory(store.root())) {
            try (Stream<Path> left = Files.list(store.root())) {
                // The store's own marker stays: HotSnap made the store root.
                List<Path> entries = left.filter(p -> !p.getFileName().toString().equals(SnapshotStore.MARKER)).toList();
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

    private static void awaitNoMigration(QmpClient qmp) {
        await("the migration ends").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> qmp.call("query-migrate", null, TIMEOUTS.qmpCommand()).path("status").asText("none"),
                        status -> !List.of("setup", "active", "cancelling", "device").contains(status));
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
