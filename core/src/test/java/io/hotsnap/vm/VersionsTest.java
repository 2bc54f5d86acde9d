package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void dottedVersionsCompareNumberByNumber() {
        assertEquals(Optional.of(true), Versions.atLeast("7.2.22", "7.2.9"));
        assertEquals(Optional.of(true), Versions.atLeast("7.2.22", "7.2.22"));
        assertEquals(Optional.of(true), Versions.atLeast("8.0", "7.2.22"));
        assertEquals(Optional.of(false), Versions.atLeast("7.2", "7.2.1"));
        assertEquals(Optional.of(false), Versions.atLeast("7.2.22 (Debian 1:7.2+dfsg-7)", "10.0.0"));
        assertEquals(Optional.empty(), Versions.atLeast("7.2.22", "unknown"));
    }
}
