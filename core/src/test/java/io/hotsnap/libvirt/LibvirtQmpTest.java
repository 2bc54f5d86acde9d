package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.settings.Timeouts;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guard reaches a libvirt VM from its target name alone: libvirt's URI and the domain, split at the last slash. */
class LibvirtQmpTest {

    @Test
    void aLibvirtTargetNamesTheUriAndTheDomainItCameFrom() {
        String target = new LibvirtEndpoint(Virsh.session("qemu:///system"), "web-1", Optional.empty(), Timeouts.defaults().qmpCommand())
                .qmpTarget();
        LibvirtEndpoint back = LibvirtQmp.endpoint(target, Timeouts.defaults().qmpCommand()).orElseThrow();
        assertEquals("qemu:///system", back.virsh().uri());
        assertEquals("web-1", back.domain());
        assertEquals(target, LibvirtQmp.client(target, Timeouts.defaults()).orElseThrow().target());
    }

    @Test
    void aSocketPathIsNoLibvirtTarget() {
        assertTrue(LibvirtQmp.client("/run/hotsnap/vm1.qmp", Timeouts.defaults()).isEmpty());
    }
}
