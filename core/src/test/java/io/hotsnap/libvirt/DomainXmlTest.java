package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DomainXmlTest {

    @Test
    void anExtraQmpSocketFromQemuCommandlineIsFound() {
        String xml = """
                <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
                  <qemu:commandline>
                    <qemu:arg value='-qmp'/>
                    <qemu:arg value='unix:/run/hotsnap/web1.qmp,server=on,wait=off'/>
                  </qemu:commandline>
                </domain>""";

        assertEquals(Optional.of(Path.of("/run/hotsnap/web1.qmp")), DomainXml.extraQmpSocket(xml));
    }

    @Test
    void aControlMonitorOnASocketChardevIsFound() {
        String xml = """
                <qemu:commandline>
                  <qemu:arg value="-chardev"/><qemu:arg value="socket,id=hs,path=/var/lib/hs/web1.sock,server=on,wait=off"/>
                  <qemu:arg value="-mon"/><qemu:arg value="chardev=hs,mode=control"/>
                </qemu:commandline>""";

        assertEquals(Optional.of(Path.of("/var/lib/hs/web1.sock")), DomainXml.extraQmpSocket(xml));
    }

    @Test
    void aDomainWithoutOneHasNone() {
        assertEquals(Optional.empty(), DomainXml.extraQmpSocket("<domain type='qemu'><name>a</name></domain>"));
        assertEquals(Optional.empty(), DomainXml.extraQmpSocket(
                "<qemu:commandline><qemu:arg value='-mon'/><qemu:arg value='chardev=x,mode=readline'/></qemu:commandline>"));
    }
}
