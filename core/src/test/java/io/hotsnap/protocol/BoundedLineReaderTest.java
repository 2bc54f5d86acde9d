package io.hotsnap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    private static BoundedLineReader reader(String text, int max) {
        return new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }

    @Test
    void readsLinesUpToTheBoundWithCrLfAndAFinalLineWithoutEnd() throws Exception {
        BoundedLineReader lines = reader("ab\r\n12345\n\nzürch", 6);

        assertEquals("ab", lines.readLine());
        assertEquals("12345", lines.readLine());
        assertEquals("", lines.readLine());
        assertEquals("zürch", lines.readLine());
        assertNull(lines.readLine());
    }

    @Test
    void lineOverTheBoundIsRefusedAndSkippedToItsEnd() throws Exception {
        BoundedLineReader lines = reader("x".repeat(20_000) + "\nnext\n" + "y".repeat(7), 6);

        ProtocolException e = assertThrows(ProtocolException.class, lines::readLine);
        assertEquals(ProtocolException.TOO_LONG, e.code());
        assertEquals("next", lines.readLine());
        assertThrows(ProtocolException.class, lines::readLine);
        assertNull(lines.readLine());
    }
}
