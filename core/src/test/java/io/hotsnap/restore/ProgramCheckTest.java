package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A restore runs the recorded command line as root: nothing in it may run another program. */
class ProgramCheckTest {

    private static final List<String> LAB_LINE = List.of("/usr/bin/qemu-system-x86_64", "-name", "pc1",
            "-netdev", "tap,id=net0,ifname=hs-pc1,script=no,downscript=no,vhost=off",
            "-device", "virtio-net-pci,netdev=net0", "-daemonize");

    /** Under /run, root's 0755 up to / (unlike /tmp or a checkout that may lie below it). */
    private Path dir;

    @BeforeEach
    void dir() throws Exception {
        dir = Files.createTempDirectory(Path.of("/run"), "hs-program-check");
    }

    @AfterEach
    void clean() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static List<String> with(String... extra) {
        List<String> line = new ArrayList<>(LAB_LINE);
        line.addAll(List.of(extra));
        return line;
    }

    @Test
    void theLabsCommandLineRunsNothingElse() {
        assertEquals(List.of(), ProgramCheck.optionRefusals(LAB_LINE));
        assertEquals(Optional.empty(), ProgramCheck.binaryRefusal(Path.of("/usr/bin/qemu-system-x86_64")));
    }

    @Test
    void optionsThatRunProgramsOrLoadCodeAreEachNamed() {
        assertEquals(List.of("-plugin /home/u/evil.so loads a TCG plugin's code into QEMU"),
                ProgramCheck.optionRefusals(with("-plugin", "/home/u/evil.so")));
        assertEquals(List.of("-netdev tap,id=n1,script=/home/u/up.sh,downscript=no: script=/home/u/up.sh runs a script (only 'no' is accepted)"),
                ProgramCheck.optionRefusals(with("-netdev", "tap,id=n1,script=/home/u/up.sh,downscript=no")));
        assertEquals(List.of("-netdev {\"type\":\"tap\",\"id\":\"n1\",\"downscript\":\"/x\"}: downscript=/x runs a script (only 'no' is accepted)"),
                ProgramCheck.optionRefusals(with("-netdev", "{\"type\":\"tap\",\"id\":\"n1\",\"downscript\":\"/x\"}")));
        assertEquals(List.of("-set netdev.net0.script=/x: script=/x runs a script (only 'no' is accepted)"),
                ProgramCheck.optionRefusals(with("-set", "netdev.net0.script=/x")));
        assertEquals(1, ProgramCheck.optionRefusals(with("--netdev", "bridge,id=n2,br=br0,helper=/tmp/h")).size());
        assertEquals(1, ProgramCheck.optionRefusals(with("-nic", "user,smb=/srv")).size());
        assertEquals(1, ProgramCheck.optionRefusals(with("-netdev", "user,id=u,guestfwd=tcp:10.0.2.100:1234-cmd:/bin/sh")).size());
        assertEquals(1, ProgramCheck.optionRefusals(with("-readconfig", "/etc/qemu/vm.cfg")).size());
        assertEquals(List.of(), ProgramCheck.optionRefusals(with("-netdev", "user,id=u,guestfwd=tcp:10.0.2.100:1234-chardev:c0")),
                "a guestfwd to a chardev runs nothing");
        assertEquals(List.of(), ProgramCheck.optionRefusals(with("-append", "console=ttyS0,script=/x")), "the guest's kernel line is the guest's");
    }

    @Test
    void aBinaryOthersCanChangeIsRefused() throws Exception {
        Path binary = Files.copy(Path.of("/usr/bin/true"), dir.resolve("qemu-system-x86_64"));
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(Optional.empty(), ProgramCheck.binaryRefusal(binary));

        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertEquals(Optional.of("the QEMU binary " + binary + " is writable by its group"), ProgramCheck.binaryRefusal(binary));

        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(binary, "unix:uid", 65534);
        assertEquals(Optional.of("the QEMU binary " + binary + " is owned by uid 65534, not root"), ProgramCheck.binaryRefusal(binary));
    }

    @Test
    void aBinaryInADirectoryOthersCanWriteIsRefused() throws Exception {
        Path binary = Files.copy(Path.of("/usr/bin/true"), dir.resolve("qemu-system-x86_64"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(Optional.of(dir + " (on the way to the QEMU binary " + binary + ") is writable by group and others"),
                ProgramCheck.binaryRefusal(binary));
    }

    @Test
    void aSymbolicLinkOthersOwnIsRefusedThoughItsTargetIsRoots() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("qemu-system-x86_64"), Path.of("/usr/bin/qemu-system-x86_64"));
        Files.setAttribute(link, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertEquals(Optional.of("the QEMU binary " + link + " is owned by uid 65534, not root"), ProgramCheck.binaryRefusal(link));
    }

    @Test
    void theCheckLineIsRedWithEveryReason() {
        PreflightCheck check = ProgramCheck.check("pc1", with("-plugin", "/x.so", "-netdev", "tap,id=n1,script=/up"),
                Optional.of("/usr/bin/qemu-system-x86_64"));
        assertFalse(check.ok());
        assertEquals(PreflightCheck.PROGRAMS, check.check());
        assertTrue(check.detail().contains("-plugin /x.so") && check.detail().contains("script=/up"), check.detail());
    }
}
