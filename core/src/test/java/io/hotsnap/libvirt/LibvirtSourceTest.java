package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hotsnap.vm.VmSourceException;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A real virsh against a libvirt socket where no libvirtd listens, as on a host whose libvirtd is not running. */
class LibvirtSourceTest {

    private static final String NO_DAEMON = "qemu+unix:///system?socket=/nonexistent/hotsnap-test/libvirt-sock";

    @Test
    void withNoLibvirtdListeningTheSourceSaysWhyInOneLine() {
        Assumptions.assumeTrue(Virsh.installed(), "virsh is not installed");
        LibvirtSource source = new LibvirtSource(Virsh.session(NO_DAEMON), Duration.ofSeconds(10));

        VmSourceException e = assertThrows(VmSourceException.class, () -> source.find("web1"));

        assertEquals("libvirt (" + NO_DAEMON + ") does not answer: failed to connect to the hypervisor: "
                + "Failed to connect socket to '/nonexistent/hotsnap-test/libvirt-sock': No such file or directory", e.getMessage());
    }
}
