package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RestoreXmlTest {

    private static final String XML = """
            <domain type='qemu'>
              <name>web1</name>
              <uuid>afad891b-47f2-465c-9bfa-54a18d4835ad</uuid>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw'/>
                  <source file='/var/lib/libvirt/images/web1.img'/>
                  <backingStore/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <disk type='file' device='cdrom'>
                  <source file='/iso/install.iso'/>
                  <target dev='hdc' bus='ide'/>
                </disk>
                <serial type='file'><source path='/var/log/web1.serial.log'/><target port='0'/></serial>
                <console type='file'><source path='/var/log/web1.serial.log'/><target type='serial' port='0'/></console>
              </devices>
            </domain>""";

    @Test
    void pointsTheCopiedDiskAtItsQcow2OverlayAndLeavesOtherDisksAlone() {
        String out = RestoreXml.parse(XML).withOverlays(Map.of("/var/lib/libvirt/images/web1.img", Path.of("/restore/web1-vda.qcow2"))).toXml();
        assertTrue(out.contains("<source file=\"/restore/web1-vda.qcow2\"/>"), out);
        assertTrue(out.contains("type=\"qcow2\""), out);
        assertFalse(out.contains("web1.img"), out);
        assertFalse(out.contains("backingStore"), out);
        assertTrue(out.contains("/iso/install.iso"), out);
    }

    @Test
    void pointsAUefiDomainsNvramAtTheRestoredVarsAndLeavesTheFirmwareCodeAlone() {
        String uefi = XML.replace("<devices>", "<os><type>hvm</type><loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>"
                + "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/web1_VARS.fd</nvram></os><devices>");
        String out = RestoreXml.parse(uefi).withOverlays(Map.of("/var/lib/libvirt/images/web1.img", Path.of("/restore/web1-vda.qcow2"),
                "/var/lib/libvirt/qemu/nvram/web1_VARS.fd", Path.of("/restore/web1-pflash1.fd"))).toXml();
        assertTrue(out.contains(">/restore/web1-pflash1.fd</nvram>"), out);
        assertTrue(out.contains(">/usr/share/OVMF/OVMF_CODE_4M.fd</loader>"), out);
        assertFalse(out.contains("web1_VARS.fd"), out);
    }

    @Test
    void aBlockDiskBecomesAFileDiskOnItsOverlay() {
        String xml = "<domain><name>a</name><devices><disk type='block' device='disk'><driver name='qemu' type='raw' cache='none'/>"
                + "<source dev='/dev/loop3'/><target dev='vda' bus='virtio'/></disk></devices></domain>";

        String out = RestoreXml.parse(xml).withOverlays(Map.of("/dev/loop3", Path.of("/store/s1/a/a-vda.qcow2"))).toXml();

        assertTrue(out.contains("<disk device=\"disk\" type=\"file\">") || out.contains("<disk type=\"file\" device=\"disk\">"), out);
        assertTrue(out.contains("<source file=\"/store/s1/a/a-vda.qcow2\"/>"), out);
        assertTrue(out.contains("type=\"qcow2\" cache=\"none\"") || out.contains("cache=\"none\" name=\"qemu\" type=\"qcow2\""), out);
        assertFalse(out.contains("/dev/loop3"), out);
    }

    @Test
    void aCloneHasItsOwnNameUuidAndSerialLog() {
        UUID id = UUID.fromString("11111111-2222-3333-4444-555555555555");
        RestoreXml clone = RestoreXml.parse(XML).asClone("web1-copy", id);
        assertEquals("web1-copy", clone.name());
        assertEquals(id.toString(), clone.uuid());
        String out = clone.toXml();
        assertFalse(out.contains("web1.serial.log"), out);
        assertEquals(2, out.split("/var/log/web1-copy.serial.log", -1).length - 1, out);
    }

    @Test
    void aClonesNicsKeepModelAndMacButJoinNoNetworkAndItsExtraQmpSocketIsItsOwn() {
        String xml = """
                <domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
                  <name>web1</name>
                  <devices>
                    <interface type='bridge'>
                      <mac address='52:54:00:aa:00:01'/>
                      <source bridge='br0'/>
                      <target dev='vnet3'/>
                      <model type='virtio'/>
                      <driver name='qemu'/>
                    </interface>
                  </devices>
                  <qemu:commandline>
                    <qemu:arg value='-qmp'/>
                    <qemu:arg value='unix:/run/hs/web1.qmp,server=on,wait=off'/>
                  </qemu:commandline>
                </domain>""";
        String out = RestoreXml.parse(xml).asClone("web1-copy", UUID.randomUUID()).toXml();
        assertTrue(out.contains("<interface type=\"ethernet\">"), out);
        assertTrue(out.contains("52:54:00:aa:00:01") && out.contains("<model type=\"virtio\"/>") && out.contains("<driver name=\"qemu\"/>"), out);
        assertFalse(out.contains("br0") || out.contains("vnet3"), out);
        assertTrue(out.contains("unix:/run/hs/web1-copy.qmp,server=on,wait=off"), out);
        assertEquals(java.util.Optional.of(Path.of("/run/hs/web1.qmp")), DomainXml.extraQmpSocket(xml));
    }

    @Test
    void inPlaceTheNicsStayOnTheirNetwork() {
        String xml = "<domain><name>a</name><devices><interface type='network'><source network='default'/></interface></devices></domain>";
        assertTrue(RestoreXml.parse(xml).withOverlays(Map.of()).toXml().contains("network=\"default\""));
    }

    @Test
    void writableDisksWithoutACopyAreNamedButNotCdromsReadOnlyOrShareableOnes() {
        String xml = """
                <domain><name>a</name><devices>
                  <disk type='file' device='disk'><source file='/v/root.qcow2'/></disk>
                  <disk type='block' device='disk'><source dev='/dev/vg/data'/></disk>
                  <disk type='file' device='disk'><source file='/v/ro.img'/><readonly/></disk>
                  <disk type='file' device='disk'><source file='/v/shared.img'/><shareable/></disk>
                  <disk type='file' device='cdrom'><source file='/iso/a.iso'/></disk>
                </devices></domain>""";
        RestoreXml restore = RestoreXml.parse(xml).withOverlays(Map.of("/v/root.qcow2", Path.of("/o/root.qcow2")));
        assertEquals(java.util.List.of("/dev/vg/data"), restore.writableDisksOtherThan(java.util.Set.of("/o/root.qcow2")));
    }

    @Test
    void networkDisksAndPoolVolumesWithoutACopyAreNamedToo() {
        String xml = """
                <domain><name>a</name><devices>
                  <disk type='network' device='disk'><source protocol='rbd' name='vms/db'><host name='10.0.0.5' port='6789'/></source></disk>
                  <disk type='network' device='disk'><source protocol='iscsi' name='iqn.2026-01.lab:db/0'/></disk>
                  <disk type='network' device='disk'><source protocol='nbd' name='dk'><host name='127.0.0.1' port='10809'/></source></disk>
                  <disk type='network' device='cdrom'><source protocol='http' name='/install.iso'/><readonly/></disk>
                  <disk type='volume' device='disk'><source pool='default' volume='db.qcow2'/></disk>
                </devices></domain>""";
        assertEquals(java.util.List.of("rbd:vms/db", "iscsi:iqn.2026-01.lab:db/0", "nbd:dk", "volume default/db.qcow2"),
                RestoreXml.parse(xml).writableDisksOtherThan(java.util.Set.of()));
    }

    @Test
    void aSnapshotDiskMissingFromTheXmlIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RestoreXml.parse(XML).withOverlays(Map.of("/other.img", Path.of("/o.qcow2"))));
        assertEquals("the domain XML has no disk /other.img that the snapshot copied", e.getMessage());
    }

    @Test
    void refusesXmlThatIsNoDomain() {
        assertThrows(IllegalArgumentException.class, () -> RestoreXml.parse("<network/>"));
        assertThrows(IllegalArgumentException.class, () -> RestoreXml.parse("<domain"));
    }

    @Test
    void aLogPathWithoutTheNameGetsTheCloneNameAsSuffix() {
        assertEquals("/var/log/console.log.b", RestoreXml.clonePath("/var/log/console.log", "a", "b"));
    }
}
