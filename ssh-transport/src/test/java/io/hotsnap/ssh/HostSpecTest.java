package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostSpecTest {

    @Test
    void userHostAndPortAreSplitAsOpenSshWritesThem() {
        assertEquals(new HostSpec("root", "10.0.0.5", 2222), HostSpec.parse("root@10.0.0.5:2222"));
        assertEquals(new HostSpec(null, "kvm1", -1), HostSpec.parse("kvm1"));
        assertEquals(new HostSpec("admin", "kvm1", -1), HostSpec.parse("admin@kvm1"));
    }

    @Test
    void ipv6NeedsBracketsForAPort() {
        assertEquals(new HostSpec(null, "fe80::1", 22), HostSpec.parse("[fe80::1]:22"));
        assertEquals(new HostSpec(null, "fe80::1", -1), HostSpec.parse("fe80::1"));
    }

    @Test
    void badPortOrEmptyPartsAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> HostSpec.parse("kvm1:ssh"));
        assertThrows(IllegalArgumentException.class, () -> HostSpec.parse("kvm1:70000"));
        assertThrows(IllegalArgumentException.class, () -> HostSpec.parse("@kvm1"));
        assertThrows(IllegalArgumentException.class, () -> HostSpec.parse("root@"));
    }
}
