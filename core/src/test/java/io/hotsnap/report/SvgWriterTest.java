package io.hotsnap.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.report.charts.DowntimeChart;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvgWriterTest {

    private static Document.Chart downtime(String name, String label) {
        DowntimeChart chart = new DowntimeChart(true);
        chart.show(List.of(new DowntimeChart.Bar(name, 12.34, null)));
        return new Document.Chart(chart.chart(), 400, 120, label);
    }

    @Test
    void chartIsInlineSvgOfItsSizeWithItsLabelAndFigures() {
        String svg = SvgWriter.write(downtime("lab1", "downtime per VM"), "chart3");
        assertTrue(svg.startsWith("<svg width=\"400\" height=\"120\" viewBox=\"0 0 400 120\" role=\"img\" aria-label=\"downtime per VM\">"), svg);
        assertTrue(svg.endsWith("</svg>"), svg);
        assertTrue(svg.contains(">lab1</text>"), "the bar's name as text: " + svg);
        assertTrue(svg.contains(">12.3 ms</text>"), "the bar's figure as text: " + svg);
        assertTrue(svg.contains("fill:rgb(213,94,0)"), "the bar in the palette's pause colour");
    }

    @Test
    void svgNamesNoAddressAndItsIdsCarryTheGivenPrefix() {
        String svg = SvgWriter.write(downtime("lab1", "chart"), "chart3");
        assertFalse(svg.contains("http"), "no namespace address: inline SVG needs none");
        assertTrue(svg.contains("url(#chart3-"), "clip paths are fragments of this chart's own ids: " + svg);
        assertFalse(svg.replace("url(#chart3-", "").contains("url("), "no other reference");
        assertFalse(svg.replace("id=\"chart3-", "").contains("id=\""), "every id carries the prefix: " + svg);
    }

    @Test
    void textAndLabelAreEscaped() {
        String svg = SvgWriter.write(downtime("<b>&", "a\"b"), "c");
        assertTrue(svg.contains(">&lt;b&gt;&amp;</text>"), svg);
        assertTrue(svg.contains("aria-label=\"a&quot;b\""), svg);
        assertFalse(svg.contains("<b>"), svg);
    }
}
