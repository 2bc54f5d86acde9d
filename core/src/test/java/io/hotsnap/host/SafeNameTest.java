package io.hotsnap.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SafeNameTest {

    @Test
    void namesThatAreOrContainPathsOrControlCharactersAreRefusedWithOneLine() {
        for (String bad : List.of("", ".", "..", "../x", "a/b", "/etc", ".hidden", "-rf", "a\u0000b", "a\nb", "a\u001bb", "x".repeat(129))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeName.check("snapshot ID", bad), bad);
            assertTrue(e.getMessage().startsWith("snapshot ID "), e.getMessage());
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\u0000"), e.getMessage());
        }
        assertEquals("20261207-163825-0a1b", SafeName.check("snapshot ID", "20261207-163825-0a1b"));
        assertEquals("web-1.clone", SafeName.check("clone name", "web-1.clone"));
    }

    @Test
    void aVmNameIsAnyPrintableNameAndMapsToADirectoryItCannotEscape() {
        for (String odd : List.of("..", ".", "a/b", "web 1", "ü")) {
            assertEquals(odd, SafeName.checkVmName(odd));
            assertTrue(SafeName.isStrict(SafeName.dirName(odd).replace('~', '-')), SafeName.dirName(odd));
        }
        assertNotEquals(SafeName.dirName("a/b"), SafeName.dirName("a_b"));
        assertNotEquals(SafeName.dirName("a/b"), SafeName.dirName("a b"));
        assertEquals("lab1", SafeName.dirName("lab1"));
        assertThrows(IllegalArgumentException.class, () -> SafeName.checkVmName("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> SafeName.checkVmName(""));
    }
}
