package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.DomainRecord;
import io.hotsnap.vm.QemuBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checklist on a part made on disk here, with this host's real QEMU (no VM runs): every check
 * green for an intact part, and each kind of defect turns exactly its own line red with the file or
 * figure named.
 */
class PreflightTest {

    private static final List<String> CHECKS = List.of(PreflightCheck.FILES, PreflightCheck.CHECKSUMS, PreflightCheck.SPACE,
            PreflightCheck.PROGRAMS, PreflightCheck.QEMU, PreflightCheck.CPU, PreflightCheck.FIRMWARE, PreflightCheck.CLONE_NAME,
            PreflightCheck.COMMAND_LINE, PreflightCheck.OWNERSHIP, PreflightCheck.PART_RECORD);

    @TempDir
    Path vmDir;
    @TempDir
    Path storeDir;
    /** STORE/ID/VM, as a snapshot lays a part out. */
    private Path partDir;

    private VmPart part;

    @BeforeEach
    void part() throws Exception {
        partDir = Files.createDirectories(storeDir.resolve("s1/pf1"));
        part = part(QemuBinary.version("qemu-system-x86_64", Duration.ofSeconds(10)), List.of());
    }

    private VmPart part(String qemuVersion, List<String> extraArgs) throws Exception {
        Files.write(partDir.resolve("memory.bin"), new byte[4096]);
        Files.write(partDir.resolve("disk0.qcow2"), new byte[1024]);
        String disk = vmDir.resolve("pf1.qcow2").toString();
        List<String> cmdline = new ArrayList<>(List.of("qemu-system-x86_64", "-name", "pf1",
                "-serial", "file:" + vmDir.resolve("pf1.serial.log"), "-qmp", "unix:" + vmDir.resolve("pf1.qmp") + ",server=on,wait=off",
                "-drive", "file=" + disk + ",if=none,id=disk0,format=qcow2",
                "-netdev", "tap,id=net0,ifname=hs-pf1,script=no,downscript=no",
                "-pidfile", vmDir.resolve("pf1.pid").toString(), "-daemonize"));
        cmdline.addAll(extraArgs);
        return new VmPart("pf1", qemuVersion, cmdline, vmDir.resolve("pf1.qmp").toString(), 4096, file("memory.bin"),
                List.of(new DiskCopy("disk0", "pf1-disk0", disk, "qcow2", 1 << 20, file("disk0.qcow2"))), 1, 2, 3, 4, "6.1.0-test", null);
    }

    private SnapshotFile file(String name) throws Exception {
        Path f = partDir.resolve(name);
        return new SnapshotFile(name, Files.size(f), SnapshotFile.sha256(f));
    }

    /** The checklist of {@code p}, its part.json written as a snapshot writes it. */
    private List<PreflightCheck> checklist(VmPart p, Optional<String> clone) {
        writePartJson(p);
        return new VmRestore(Timeouts.defaults()).preflight(partDir, p, clone);
    }

    private void writePartJson(VmPart p) {
        try {
            Files.write(partDir.resolve("part.json"), new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, PreflightCheck> byCheck(List<PreflightCheck> checks) {
        return checks.stream().collect(Collectors.toMap(PreflightCheck::check, c -> c));
    }

    private static List<String> red(List<PreflightCheck> checks) {
        return checks.stream().filter(c -> !c.ok()).map(PreflightCheck::check).toList();
    }

    @Test
    void intactPartAsCloneIsAllGreenInTheDocumentedOrder() {
        List<PreflightCheck> checks = checklist(part, Optional.of("pf1-clone"));
        assertEquals(CHECKS, checks.stream().map(PreflightCheck::check).toList());
        assertEquals(List.of(), red(checks), checks.toString());
        assertTrue(checks.stream().allMatch(c -> c.vm().equals("pf1") && !c.detail().isBlank()));
    }

    @Test
    void aBlockDevicesOverlayIsCountedInTheStoreAndAFileDisksBesideTheFile() throws Exception {
        List<String> cmdline = new ArrayList<>(part.cmdline());
        cmdline.addAll(List.of("-blockdev", "driver=host_device,filename=/dev/loop7,node-name=lv", "-blockdev", "driver=raw,file=lv,node-name=lvf"));
        VmPart twoDisks = new VmPart("pf1", part.qemuVersion(), cmdline, part.qmp(), 4096, part.memory(), List.of(part.disks().get(0),
                new DiskCopy("lvf", "lvf", "/dev/loop7", "raw", 1 << 20, part.disks().get(0).image())), 1, 2, 3, 4, "6.1.0-test", null);

        PreflightCheck space = checklist(twoDisks, Optional.empty()).get(CHECKS.indexOf(PreflightCheck.SPACE));

        assertTrue(space.ok(), space.toString());
        assertTrue(space.detail().contains(" free in " + vmDir + ",") && space.detail().contains(" free in " + partDir + ","), space.detail());
    }

    @Test
    void inPlaceChecksTheRunningVmInsteadOfTheCloneName() {
        List<PreflightCheck> checks = checklist(part, Optional.empty());
        PreflightCheck reachable = checks.get(CHECKS.indexOf(PreflightCheck.CLONE_NAME));
        assertEquals(PreflightCheck.REACHABLE, reachable.check());
        assertTrue(reachable.ok(), reachable.toString());
        assertEquals("not running: nothing to shut down", reachable.detail());
    }

    @Test
    void deletedMemoryImageIsRedWithTheFileNamedAndThePlanRefused() throws Exception {
        Files.delete(partDir.resolve("memory.bin"));
        List<PreflightCheck> checks = checklist(part, Optional.of("pf1-clone"));
        assertEquals(List.of(PreflightCheck.FILES, PreflightCheck.CHECKSUMS), red(checks));
        assertEquals("memory image " + partDir.resolve("memory.bin") + " is missing", byCheck(checks).get(PreflightCheck.FILES).detail());

        writePartJson(part);
        SnapshotException refused = assertThrows(SnapshotException.class,
                () -> new VmRestore(Timeouts.defaults()).plan("s1", partDir, part, RestoreChoice.asClone(part.name(), "pf1-clone")));
        assertTrue(refused.getMessage().contains("pf1: files present: memory image " + partDir.resolve("memory.bin") + " is missing"),
                refused.getMessage());
        try (var made = Files.list(vmDir)) {
            assertEquals(List.of(), made.toList(), "a refused plan makes nothing");
        }
    }

    @Test
    void alteredDiskCopyIsRedInChecksumsOnly() throws Exception {
        byte[] changed = new byte[1024];
        changed[7] = 1;
        Files.write(partDir.resolve("disk0.qcow2"), changed);
        List<PreflightCheck> checks = checklist(part, Optional.of("pf1-clone"));
        assertEquals(List.of(PreflightCheck.CHECKSUMS), red(checks));
        assertTrue(byCheck(checks).get(PreflightCheck.CHECKSUMS).detail().contains("disk disk0 " + partDir.resolve("disk0.qcow2")
                + " was altered"));
    }

    @Test
    void snapshotOfANewerQemuIsRed() throws Exception {
        List<PreflightCheck> checks = checklist(part("99.0.0", List.of()), Optional.of("pf1-clone"));
        assertEquals(List.of(PreflightCheck.QEMU), red(checks));
        assertTrue(byCheck(checks).get(PreflightCheck.QEMU).detail().endsWith("snapshot taken with 99.0.0: older QEMU cannot load newer device state"));
    }

    @Test
    void cpuModelThisQemuLacksIsRed() throws Exception {
        VmPart p = part(part.qemuVersion(), List.of("-cpu", "Frobnicator-v9,+avx"));
        List<PreflightCheck> checks = checklist(p, Optional.of("pf1-clone"));
        assertEquals(List.of(PreflightCheck.CPU), red(checks));
        assertEquals("this QEMU has no CPU model 'Frobnicator-v9'", byCheck(checks).get(PreflightCheck.CPU).detail());
        assertTrue(byCheck(checklist(part(part.qemuVersion(), List.of("-cpu", "qemu64,+ssse3")), Optional.empty()))
                .get(PreflightCheck.CPU).ok());
    }

    @Test
    void takenOrInvalidCloneNameIsRed() throws Exception {
        Files.createFile(vmDir.resolve("pf1-clone.qmp"));
        PreflightCheck taken = byCheck(checklist(part, Optional.of("pf1-clone"))).get(PreflightCheck.CLONE_NAME);
        assertFalse(taken.ok());
        assertEquals("the QMP socket " + vmDir.resolve("pf1-clone.qmp") + " exists: 'pf1-clone' is taken", taken.detail());

        List<PreflightCheck> invalid = checklist(part, Optional.of("no spaces"));
        assertEquals(List.of(PreflightCheck.CLONE_NAME, PreflightCheck.COMMAND_LINE), red(invalid));
        assertEquals("clone name 'no spaces' is not a valid VM name", byCheck(invalid).get(PreflightCheck.CLONE_NAME).detail());
    }

    @Test
    void aRecordedPluginTurnsProgramsRedAndTheBinaryIsNotRun() throws Exception {
        List<PreflightCheck> checks = checklist(part(part.qemuVersion(), List.of("-plugin", vmDir.resolve("evil.so").toString())), Optional.empty());
        assertEquals(List.of(PreflightCheck.PROGRAMS, PreflightCheck.QEMU, PreflightCheck.CPU), red(checks));
        assertTrue(byCheck(checks).get(PreflightCheck.PROGRAMS).detail().endsWith("-plugin " + vmDir.resolve("evil.so")
                + " loads a TCG plugin's code into QEMU"), byCheck(checks).get(PreflightCheck.PROGRAMS).detail());
        assertEquals("qemu-system-x86_64 not run: see 'programs run as root'", byCheck(checks).get(PreflightCheck.QEMU).detail());
    }

    @Test
    void missingCommandLineIsRed() throws Exception {
        VmPart noCmdline = new VmPart("pf1", part.qemuVersion(), List.of(), part.qmp(), 4096, part.memory(), part.disks(), 1, 2, 3, 4, "6.1.0-test", null);
        List<PreflightCheck> checks = checklist(noCmdline, Optional.empty());
        assertEquals(List.of(PreflightCheck.QEMU, PreflightCheck.CPU, PreflightCheck.COMMAND_LINE), red(checks));
    }

    @Test
    void aLibvirtPartIsRedWhenItsXmlLacksTheCopiedDiskOrItsStoreSitsBelowAClosedDirectory(@TempDir Path root) throws Exception {
        String disk = part.disks().get(0).original();
        VmPart noDisk = asDomain(part, "<domain><name>pf1</name><devices/></domain>");
        PreflightCheck lacking = LibvirtLaunch.definition(partDir, noDisk, Optional.empty());
        assertFalse(lacking.ok());
        assertEquals("the domain XML has no disk " + disk + " that the snapshot copied", lacking.detail());

        VmPart domain = asDomain(part, "<domain><name>pf1</name><devices><disk type='file'><source file='" + disk + "'/></disk></devices></domain>");
        Path closed = root.resolve("closed");
        Path storedPart = Files.createDirectories(closed.resolve("store/20261126-000000-0001/pf1"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        PreflightCheck blocked = LibvirtLaunch.definition(storedPart, domain, Optional.empty());
        assertFalse(blocked.ok());
        assertTrue(blocked.detail().contains("cannot pass " + closed + " "), blocked.detail());

        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx--x--x"));
        assertTrue(LibvirtLaunch.definition(storedPart, domain, Optional.of("pf1-copy")).ok());
    }

    private static VmPart asDomain(VmPart p, String xml) {
        return new VmPart(p.name(), p.qemuVersion(), p.cmdline(), p.qmp(), p.memoryBytesOfGuest(), p.memory(), p.disks(), p.stopAt(),
                p.resumeAt(), p.transientDoneAt(), p.fullDoneAt(), p.kernelRelease(), new DomainRecord("qemu:///system", "pf1",
                "afad891b-47f2-465c-9bfa-54a18d4835ad", xml));
    }
}
