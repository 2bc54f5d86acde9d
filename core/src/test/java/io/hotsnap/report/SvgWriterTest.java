package io.hotsnap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SvgWriterTest {

    @Test
    void rectIsPlacedWhereAskedWithItsClassAndTitle() {
        String svg = SvgWriter.write(new Drawing.Builder(100, 50, "chart").rect(12.34, 5, 40.06, 8, "#D55E00", "pause", "lab1 pause").build());
        assertTrue(svg.contains("<rect class=\"pause\" x=\"12.3\" y=\"5.0\" width=\"40.1\" height=\"8.0\" fill=\"#D55E00\"><title>lab1 pause</title></rect>"), svg);
        assertTrue(svg.startsWith("<svg width=\"100\" height=\"50\" viewBox=\"0 0 100 50\""), svg);
    }

    @Test
    void textAndTitlesAreEscaped() {
        String svg = SvgWriter.write(new Drawing.Builder(10, 10, "a\"b").text(1, 2, "<b>&", Drawing.Anchor.END)
                .rect(0, 0, 1, 1, "red", "x", "</title><script>").build());
        assertTrue(svg.contains(">&lt;b&gt;&amp;</text>"), svg);
        assertTrue(svg.contains("aria-label=\"a&quot;b\""), svg);
        assertFalse(svg.contains("<script>"), svg);
    }

    @Test
    void axisStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(2000, Charts.niceStep(1500));
        assertEquals(5, Charts.niceStep(3.2));
        assertEquals(10, Charts.niceStep(10));
        assertEquals(0.1, Charts.niceStep(0.07), 1e-12);
    }
}
