package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QemuProcessTest {

    @Test
    void libvirtsJsonNetdevWithVhostIsSeen() {
        QemuProcess qemu = new QemuProcess(1, List.of("/usr/bin/qemu-system-x86_64",
                "-netdev", "{\"type\":\"tap\",\"fds\":\"31\",\"vhost\":true,\"vhostfds\":\"33\",\"id\":\"hostnet0\"}",
                "-netdev", "{\"type\":\"tap\",\"fd\":\"35\",\"id\":\"hostnet1\"}"));

        assertEquals(Set.of("hostnet0"), qemu.vhostNetdevsOnCommandLine());
    }
}
