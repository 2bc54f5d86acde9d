package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which flash file is the firmware's code and which the VM's VARS, in every way a command line attaches flash. */
class FirmwareTest {

    private static final String CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    private static final String VARS = "/var/lib/libvirt/qemu/nvram/web1_VARS.fd";
    /** As libvirt 9 writes it: the read-only flag on the format node, the file on a storage node of its own. */
    private static final List<String> LIBVIRT = List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=web1",
            "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + CODE + "\",\"node-name\":\"libvirt-pflash0-storage\",\"auto-read-only\":true}",
            "-blockdev", "{\"node-name\":\"libvirt-pflash0-format\",\"read-only\":true,\"driver\":\"raw\",\"file\":\"libvirt-pflash0-storage\"}",
            "-blockdev", "{\"driver\":\"file\",\"filename\":\"" + VARS + "\",\"node-name\":\"libvirt-pflash1-storage\",\"auto-read-only\":true}",
            "-blockdev", "{\"node-name\":\"libvirt-pflash1-format\",\"read-only\":false,\"driver\":\"raw\",\"file\":\"libvirt-pflash1-storage\"}",
            "-machine", "pc-q35-7.2,usb=off,pflash0=libvirt-pflash0-format,pflash1=libvirt-pflash1-format",
            "-qmp", "unix:/run/hotsnap/web1.qmp,server=on,wait=off");

    @TempDir
    Path dir;

    @Test
    void driveFormTellsTheReadOnlyCodeFromTheWritableVars() {
        Firmware fw = Firmware.of(List.of("qemu-system-x86_64", "-M", "pc",
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + CODE,
                "-drive", "if=pflash,format=raw,unit=1,file=/vm/uf1_VARS.fd",
                "-drive", "file=/vm/uf1.qcow2,if=none,id=disk0,format=qcow2"));
        assertEquals(List.of(CODE), fw.code());
        assertEquals(List.of("/vm/uf1_VARS.fd"), fw.vars());
        assertFalse(fw.isVars("/vm/uf1.qcow2"), "a plain disk is no flash");
    }

    @Test
    void libvirtBlockdevFormFollowsTheMachinesFlashNodesDownToTheirFiles() {
        Firmware fw = Firmware.of(LIBVIRT);
        assertEquals(List.of(CODE), fw.code());
        assertEquals(List.of(VARS), fw.vars());
    }

    @Test
    void keyValueBlockdevWithTheFileInlineIsReadToo() {
        Firmware fw = Firmware.of(List.of("qemu-system-x86_64",
                "-blockdev", "driver=raw,node-name=code,read-only=on,file.driver=file,file.filename=" + CODE,
                "-blockdev", "{\"driver\":\"raw\",\"node-name\":\"vars\",\"file\":{\"driver\":\"file\",\"filename\":\"/vm/v.fd\"}}",
                "-M", "pc,pflash0=code,pflash1=vars"));
        assertEquals(List.of(CODE), fw.code());
        assertEquals(List.of("/vm/v.fd"), fw.vars());
    }

    @Test
    void preflightIsRedWhenTheFirmwareCodeIsGoneAndGreenWhenItIsThere() throws Exception {
        Path code = Files.write(dir.resolve("OVMF_CODE.fd"), new byte[4096]);
        List<String> cmdline = List.of("qemu-system-x86_64", "-drive", "if=pflash,format=raw,readonly=on,file=" + code,
                "-drive", "if=pflash,format=raw,file=" + dir.resolve("VARS.fd"));
        assertTrue(Firmware.of(cmdline).check("uf1").ok());
        Files.delete(code);
        PreflightCheck gone = Firmware.of(cmdline).check("uf1");
        assertFalse(gone.ok());
        assertTrue(gone.detail().startsWith("the UEFI firmware " + code + " is missing"), gone.detail());
        assertTrue(Firmware.of(List.of("qemu-system-x86_64", "-M", "pc")).check("lab1").ok(), "a BIOS VM has nothing to check");
    }

    @Test
    void restoreRedirectsTheVarsAndDoesNotTakeTheCodesStorageNodeForAnUncopiedDisk() {
        List<String> out = QemuCommandLine.forRestore(LIBVIRT, Map.of(VARS, Path.of("/vm/web1-pflash1-from-X.fd")), Optional.empty());
        assertTrue(out.contains(LIBVIRT.get(4)), "the code's storage node is kept as it was");
        assertTrue(out.stream().anyMatch(a -> a.contains("\"filename\":\"/vm/web1-pflash1-from-X.fd\"")), String.join(" ", out));
        assertFalse(out.stream().anyMatch(a -> a.contains(VARS)), "the original VARS is not opened");
    }
}
