package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostPaths;
import io.hotsnap.lab.GuestImage;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.LocalSnapshots;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotMode;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.testing.Abandoned;
import io.hotsnap.testing.GuestDisk;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.vm.QemuProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A UEFI guest (OVMF from the {@code ovmf} package, the lab's kernel and init booted through OVMF's
 * direct kernel boot) snapshotted and restored in place, once per way QEMU is given its flash: the
 * writable VARS is copied with the disk, the restored VM runs on a copy of that copy (never on the
 * original VARS, which HotSnap never writes), the read-only CODE is not copied, and memory and disk
 * come back at one instant (the guest's tick on serial and in sector 0 agree). Two guests, booted
 * together: OVMF takes half a minute to boot under TCG (minutes on a loaded host), and needs more than
 * 128 MiB (it faults at boot with that little).
 */
class UefiRestoreIT {

    private static final Timeouts TIMEOUTS = Timeouts.defaults();
    private static final Path OVMF = Path.of("/usr/share/OVMF");
    private static final Path CODE = OVMF.resolve("OVMF_CODE_4M.fd");
    /** Written into the running VM's VARS after the snapshot: a change the restore must not bring back. */
    private static final byte MARKER = 0x5a;
    private static final Path DIR = tempDir();

    /** How the guest's flash is attached: each one guest, named {@code uf} and a number. */
    enum Flash {
        DRIVE("uf1"), BLOCKDEV("uf2");

        final String vm;

        Flash(String vm) {
            this.vm = vm;
        }

        Path vars() {
            return DIR.resolve(vm + "_VARS.fd");
        }

        Path disk() {
            return DIR.resolve(vm + ".qcow2");
        }

        Path serial() {
            return DIR.resolve(vm + ".serial.log");
        }

        Path qmp() {
            return DIR.resolve(vm + ".qmp");
        }

        List<String> flashArgs() {
            if (this == DRIVE) {
                return List.of("-M", "pc", "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + CODE,
                        "-drive", "if=pflash,format=raw,unit=1,file=" + vars());
            }
            // As libvirt writes them: storage nodes under raw format nodes, read-only on the code's format node.
            return List.of("-machine", "pc,pflash0=" + vm + "-code-format,pflash1=" + vm + "-vars-format",
                    "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + CODE + "\",\"node-name\":\"" + vm + "-code-storage\","
                            + "\"auto-read-only\":true}",
                    "-blockdev", "{\"node-name\":\"" + vm + "-code-format\",\"read-only\":true,\"driver\":\"raw\",\"file\":\"" + vm + "-code-storage\"}",
                    "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + vars() + "\",\"node-name\":\"" + vm + "-vars-storage\","
                            + "\"auto-read-only\":true}",
                    "-blockdev", "{\"node-name\":\"" + vm + "-vars-format\",\"read-only\":false,\"driver\":\"raw\",\"file\":\"" + vm + "-vars-storage\"}");
        }

        /** What HMP's {@code qemu-io} takes to reach the VARS: the drive's name, or the format node. */
        String varsTarget() {
            return this == DRIVE ? "pflash1" : vm + "-vars-format";
        }
    }

    @BeforeAll
    static void bootBoth() throws IOException {
        GuestImage image = efiGuest();
        for (Flash f : Flash.values()) {
            Files.copy(OVMF.resolve("OVMF_VARS_4M.fd"), f.vars());
            HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", f.disk().toString(), "64M"), TIMEOUTS.qmpCommand());
            List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-name", f.vm, "-accel", "tcg", "-m", "256", "-smp", "1",
                    "-nodefaults", "-no-user-config", "-display", "none"));
            cmd.addAll(f.flashArgs());
            cmd.addAll(List.of("-kernel", image.efiKernel().orElseThrow().toString(), "-initrd", image.initrd().toString(),
                    "-append", GuestImage.KERNEL_OPTIONS + " hs.name=" + f.vm,
                    "-serial", "file:" + f.serial(), "-qmp", "unix:" + f.qmp() + ",server=on,wait=off",
                    "-drive", "file=" + f.disk() + ",if=none,id=disk0,format=qcow2", "-device", "virtio-blk-pci,drive=disk0,id=vda",
                    "-pidfile", DIR.resolve(f.vm + ".pid").toString(), "-daemonize"));
            HostCommand.check(cmd, TIMEOUTS.qmpCommand());
        }
        for (Flash f : Flash.values()) {
            GuestLog.awaitTick(f.serial(), 5, Duration.ofMinutes(4), f.vm + " boots through OVMF");
        }
    }

    @AfterAll
    static void stopBoth() throws IOException {
        for (Flash f : Flash.values()) {
            QemuProcess.serving(f.qmp()).ifPresent(p -> {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                QemuProcess.awaitExit(p.pid(), TIMEOUTS.vmQuitGrace());
            });
        }
        HostCommand.run(List.of("rm", "-rf", DIR.toString()), TIMEOUTS.qmpCommand());
    }

    @ParameterizedTest
    @EnumSource(Flash.class)
    void theVarsFlashIsCopiedWithTheDiskAndTheRestoredVmRunsOnItsCopyAtTheSnapshotInstant(Flash f) throws Exception {
        SnapshotStore store = new SnapshotStore(DIR.resolve("store-" + f.vm));
        Manifest m = Abandoned.retried(() -> new LocalSnapshots(DIR, store, TIMEOUTS).take(List.of(f.vm), SnapshotMode.HOTSNAP,
                DiskMode.COPY, e -> { }));
        VmPart part = m.vms().get(0);
        Path partDir = store.partDir(m.id(), f.vm);
        Map<String, Path> copies = new java.util.HashMap<>();
        part.disks().forEach(d -> copies.put(d.original(), d.image().resolve(partDir)));
        assertEquals(java.util.Set.of(f.vars().toString(), f.disk().toString()), copies.keySet(),
                "the VARS is copied with the disk; the read-only code is not");
        byte[] varsAtSnapshot = raw(copies.get(f.vars().toString()));
        long tickOnDiskCopy = GuestDisk.tickInSectorZero(copies.get(f.disk().toString()));

        writeMarkerIntoVars(f);
        assertEquals(MARKER, Files.readAllBytes(f.vars())[0], "the running VM changed its VARS after the snapshot");
        GuestLog.awaitTick(f.serial(), tickOnDiskCopy + 5, Duration.ofSeconds(60), f.vm + " ticks on");

        long started = System.nanoTime();
        RestoredVm restored = new VmRestore(TIMEOUTS).restore(m.id(), partDir, part, Optional.empty());
        double restoreMs = (System.nanoTime() - started) / 1e6;

        long firstTick = GuestLog.firstTick(f.serial());
        assertTrue(firstTick >= tickOnDiskCopy && firstTick <= tickOnDiskCopy + 2,
                "first tick after restore " + firstTick + ", tick on the snapshot's disk " + tickOnDiskCopy);
        Map<String, JsonNode> flash = flashOf(restored);
        assertEquals(CODE.toString(), flash.get("/machine/system.flash0").path("file").asText(), "the firmware code, opened where it was");
        assertTrue(flash.get("/machine/system.flash0").path("ro").asBoolean());
        Path restoredVars = Path.of(flash.get("/machine/system.flash1").path("file").asText());
        assertNotEquals(f.vars(), restoredVars, "the restored VM never runs on the original VARS");
        assertFalse(flash.get("/machine/system.flash1").path("ro").asBoolean(), "its VARS stays writable");
        assertArrayEquals(varsAtSnapshot, Files.readAllBytes(restoredVars), "the restored VARS is the snapshot's, without the later change");
        assertEquals(MARKER, Files.readAllBytes(f.vars())[0], "HotSnap left the original VARS as the VM last wrote it");
        assertTrue(new VmRestore(TIMEOUTS).preflight(partDir, part, Optional.empty()).stream()
                .anyMatch(c -> c.check().equals(PreflightCheck.FIRMWARE) && c.ok() && c.detail().contains(CODE.toString())));
        System.err.printf("[figures] UEFI guest %s (%s flash, 256 MiB, TCG): pause %.1f ms, copy (STOP to full snapshot done) %.0f ms,"
                        + " restore in place %.0f ms (memory load %.0f ms)%n", f.vm, f.name().toLowerCase(), part.downtimeMs(), part.fullMs(),
                restoreMs, restored.loadMs());
    }

    /** The lab's guest with its kernel as a bzImage, for OVMF: the default image if it kept one, else one built beside it. */
    private static GuestImage efiGuest() {
        GuestImage lab = GuestImage.ensure(HostPaths.cacheDir().resolve("guest"), Optional.empty());
        return lab.efiKernel().isPresent() ? lab : GuestImage.ensure(HostPaths.cacheDir().resolve("guest-efi"), Optional.empty());
    }

    private static void writeMarkerIntoVars(Flash f) {
        try (QmpClient qmp = new QmpClient(f.qmp(), TIMEOUTS)) {
            qmp.connect(TIMEOUTS.qmpConnect());
            String out = qmp.call("human-monitor-command", Map.of("command-line",
                    "qemu-io " + f.varsTarget() + " \"write -P " + MARKER + " 0 512\""), TIMEOUTS.qmpCommand()).asText();
            assertFalse(out.contains("rror"), out);
        }
    }

    /** The restored VM's flash devices by QOM path, as {@code query-block} lists them. */
    private static Map<String, JsonNode> flashOf(RestoredVm vm) {
        try (QmpClient qmp = new QmpClient(Path.of(vm.qmp()), TIMEOUTS)) {
            qmp.connect(TIMEOUTS.qmpConnect());
            Map<String, JsonNode> flash = new java.util.HashMap<>();
            for (JsonNode dev : qmp.call("query-block", null, TIMEOUTS.qmpCommand())) {
                if (dev.path("qdev").asText().startsWith("/machine/system.flash")) {
                    flash.put(dev.path("qdev").asText(), dev.path("inserted"));
                }
            }
            return flash;
        }
    }

    /** A qcow2 copy's guest-visible bytes. */
    private static byte[] raw(Path qcow2) throws IOException {
        Path out = Files.createTempFile(DIR, "vars", ".raw");
        HostCommand.check(List.of("qemu-img", "convert", "-U", "-f", "qcow2", "-O", "raw", qcow2.toString(), out.toString()),
                TIMEOUTS.qmpCommand());
        return Files.readAllBytes(out);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("uf");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
