package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.settings.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmSourcesTest {

    @TempDir
    Path dir;

    /** A source whose manager cannot be asked, as libvirt with libvirtd down. */
    private static final VmSource DOWN = new VmSource() {
        @Override
        public String kind() {
            return VmRef.LIBVIRT;
        }

        @Override
        public List<VmRef> list() {
            throw new VmSourceException("libvirt (qemu:///system) does not answer: failed to connect to the hypervisor");
        }
    };

    private static VmSource fixed(String kind, VmRef... refs) {
        return new VmSource() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public List<VmRef> list() {
                return List.of(refs);
            }
        };
    }

    @Test
    void anUnknownNameListsTheKnownVmsAndTheSourcesThatDidNotAnswer() throws Exception {
        Files.createFile(dir.resolve("web1.qmp"));
        VmSources sources = new VmSources(List.of(new SocketDirSource(dir), DOWN));

        VmSourceException e = assertThrows(VmSourceException.class, () -> sources.find("db1"));

        assertEquals("unknown VM 'db1' on this host (known: web1; libvirt (qemu:///system) does not answer: "
                + "failed to connect to the hypervisor)", e.getMessage());
        assertEquals(VmRef.SOCKET, sources.find("web1").source(), "a source that is down costs its own VMs only");
    }

    @Test
    void aNameTwoSourcesKnowIsAmbiguous() throws Exception {
        Files.createFile(dir.resolve("web1.qmp"));
        VmSources sources = new VmSources(List.of(new SocketDirSource(dir),
                fixed(VmRef.LIBVIRT, new VmRef("web1", VmRef.LIBVIRT, "u-1", null, null, null))));

        VmSourceException e = assertThrows(VmSourceException.class, () -> sources.find("web1"));

        assertTrue(e.getMessage().contains("ambiguous") && e.getMessage().contains("socket and libvirt"), e.getMessage());
    }

    @Test
    void aShutOffDomainIsKnownButNotRunning() {
        VmSources sources = new VmSources(List.of(fixed(VmRef.LIBVIRT, new VmRef("old", VmRef.LIBVIRT, "u-2", null, "shut off", null))));

        VmSourceException e = assertThrows(VmSourceException.class, () -> sources.find("old"));

        assertEquals("old (libvirt) is shut off, not running", e.getMessage());
        VmInfo listed = new VmInventory(sources, Timeouts.defaults()).list().get(0);
        assertEquals("shut off", listed.state());
        assertEquals("u-2", listed.uuid());
    }
}
