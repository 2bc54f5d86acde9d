package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The restore's command line for disks in the forms hosts write them: libvirt's -blockdev, block devices, network disks. */
class DiskRedirectTest {

    private static final String OVERLAY = "/store/s1/vm/libvirt-1-format-from-s1.qcow2";

    private static List<String> restore(Map<String, Path> overlays, String... args) {
        List<String> recorded = new ArrayList<>(List.of("qemu-system-x86_64"));
        recorded.addAll(List.of(args));
        return QemuCommandLine.forRestore(recorded, overlays, Optional.empty());
    }

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> restore(Map.of(), args)).getMessage();
    }

    @Test
    void libvirtsJsonQcow2WithABackingChainRunsOnTheOverlayWhoseBackingIsTheCopy() {
        List<String> out = restore(Map.of("/v/top.qcow2", Path.of(OVERLAY)),
                "-blockdev", "{\"driver\":\"file\",\"filename\":\"/v/base.qcow2\",\"node-name\":\"libvirt-2-storage\",\"auto-read-only\":true}",
                "-blockdev", "{\"node-name\":\"libvirt-2-format\",\"read-only\":true,\"driver\":\"qcow2\",\"file\":\"libvirt-2-storage\"}",
                "-blockdev", "{\"driver\":\"file\",\"filename\":\"/v/top.qcow2\",\"node-name\":\"libvirt-1-storage\",\"auto-read-only\":true}",
                "-blockdev", "{\"node-name\":\"libvirt-1-format\",\"read-only\":false,\"driver\":\"qcow2\",\"file\":\"libvirt-1-storage\","
                        + "\"backing\":\"libvirt-2-format\"}",
                "-device", "virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0");
        assertEquals("{\"driver\":\"file\",\"filename\":\"/v/base.qcow2\",\"node-name\":\"libvirt-2-storage\",\"auto-read-only\":true}",
                out.get(2), "the backing chain is left as recorded, read-only");
        assertEquals("{\"driver\":\"file\",\"filename\":\"" + OVERLAY + "\",\"node-name\":\"libvirt-1-storage\",\"auto-read-only\":true}",
                out.get(6));
        assertEquals("{\"node-name\":\"libvirt-1-format\",\"read-only\":false,\"driver\":\"qcow2\",\"file\":\"libvirt-1-storage\"}",
                out.get(8), "no recorded backing: the overlay's own (the copy) counts");
        assertEquals("virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk0", out.get(10));
    }

    @Test
    void aRawBlockDeviceInKeyvalBecomesAQcow2OverlayFile() {
        List<String> out = restore(Map.of("/dev/loop7", Path.of(OVERLAY)),
                "-blockdev", "driver=host_device,filename=/dev/loop7,node-name=libvirt-1-storage,cache.direct=on",
                "-blockdev", "node-name=libvirt-1-format,driver=raw,file=libvirt-1-storage");
        assertEquals("driver=file,filename=" + OVERLAY + ",node-name=libvirt-1-storage,cache.direct=on", out.get(2));
        assertEquals("node-name=libvirt-1-format,driver=qcow2,file=libvirt-1-storage", out.get(4));
    }

    @Test
    void aBlockDeviceOnADriveGetsTheQcow2Format() {
        List<String> out = restore(Map.of("/dev/loop7", Path.of(OVERLAY)), "-drive", "file=/dev/loop7,format=raw,if=virtio");
        assertEquals("file=" + OVERLAY + ",format=qcow2,if=virtio", out.get(2));
    }

    @Test
    void aNestedFileNodeIsRedirectedInsideItsFormatNode() {
        List<String> out = restore(Map.of("/v/d,2.img", Path.of(OVERLAY)),
                "-blockdev", "driver=raw,node-name=d2,file.driver=host_device,file.filename=/v/d,,2.img,discard=unmap");
        assertEquals("driver=qcow2,node-name=d2,file.driver=file,file.filename=" + OVERLAY + ",discard=unmap", out.get(2),
                "a comma in a path stays escaped");
    }

    @Test
    void aStorageNodeTheDeviceUsesDirectlyIsWrappedInAQcow2Node() {
        List<String> out = restore(Map.of("/dev/loop7", Path.of(OVERLAY)),
                "-blockdev", "{\"driver\":\"host_device\",\"filename\":\"/dev/loop7\",\"node-name\":\"disk\"}");
        assertEquals("{\"driver\":\"qcow2\",\"node-name\":\"disk\",\"file\":{\"driver\":\"file\",\"filename\":\"" + OVERLAY + "\"}}", out.get(2));
    }

    @Test
    void aReadOnlyCdromIsNeitherCopiedNorRefused() {
        String[] cdrom = {"-blockdev", "{\"driver\":\"file\",\"filename\":\"/iso/boot.iso\",\"node-name\":\"libvirt-3-storage\"}",
                "-blockdev", "{\"node-name\":\"libvirt-3-format\",\"read-only\":true,\"driver\":\"raw\",\"file\":\"libvirt-3-storage\"}",
                "-device", "ide-cd,bus=ide.0,unit=0,drive=libvirt-3-format", "-drive", "file=/iso/other.iso,media=cdrom,if=ide"};
        assertEquals(List.of(cdrom), restore(Map.of(), cdrom).subList(1, 1 + cdrom.length));
    }

    @Test
    void everyWritableDiskTheSnapshotDidNotCopyIsNamedWhateverItsForm() {
        assertTrue(refusal("-blockdev", "driver=host_device,filename=/dev/loop7,node-name=s",
                "-blockdev", "driver=raw,file=s,node-name=f").contains("disk /dev/loop7,"));
        assertTrue(refusal("-blockdev", "{\"driver\":\"nbd\",\"server\":{\"type\":\"inet\",\"host\":\"127.0.0.1\",\"port\":\"10809\"},"
                + "\"export\":\"dk\",\"node-name\":\"libvirt-2-storage\"}",
                "-blockdev", "{\"node-name\":\"libvirt-2-format\",\"driver\":\"raw\",\"file\":\"libvirt-2-storage\"}")
                .contains("disk nbd {\"server\":{\"type\":\"inet\",\"host\":\"127.0.0.1\",\"port\":\"10809\"},\"export\":\"dk\"}"));
        assertTrue(refusal("-blockdev", "{\"driver\":\"rbd\",\"pool\":\"vms\",\"image\":\"db\",\"node-name\":\"libvirt-1-storage\"}",
                "-blockdev", "{\"node-name\":\"libvirt-1-format\",\"driver\":\"raw\",\"file\":\"libvirt-1-storage\"}")
                .contains("disk rbd {\"pool\":\"vms\",\"image\":\"db\"}"));
        assertTrue(refusal("-blockdev", "driver=qcow2,node-name=d,file.driver=iscsi,file.transport=tcp,file.portal=10.0.0.5:3260,"
                + "file.target=iqn.2026-01.lab:db,file.lun=0").contains("disk iscsi {"));
        assertTrue(refusal("-drive", "file=rbd:vms/db,format=raw,if=virtio").contains("disk rbd:vms/db,"));
        assertTrue(refusal("-drive", "file=nbd://127.0.0.1:10809/dk,format=raw,if=virtio").contains("disk nbd://127.0.0.1:10809/dk,"));
    }

    @Test
    void onlyTheUncopiedDiskOfTwoIsNamed() {
        String message = refusal("-drive", "file=/v/a.qcow2,if=virtio,readonly=on",
                "-blockdev", "{\"driver\":\"file\",\"filename\":\"/v/b.qcow2\",\"node-name\":\"s\"}",
                "-blockdev", "{\"node-name\":\"f\",\"driver\":\"qcow2\",\"file\":\"s\"}");
        assertEquals(QemuCommandLine.uncopiedDisks(List.of("/v/b.qcow2")), message);
    }

    @Test
    void aJsonValueThatIsNoObjectIsRefusedInOneLine() {
        assertEquals("-blockdev {\"driver\": is not a JSON object", refusal("-blockdev", "{\"driver\":"));
    }
}
