package io.hotsnap.report;

import java.awt.Rectangle;
import java.util.Locale;
import org.jfree.svg.SVGGraphics2D;

/**
 * A chart as inline SVG, drawn by JFreeSVG from the chart's own Java2D drawing. Inline in HTML it
 * needs no namespace, so the opening tag is written here without JFreeSVG's: the report then
 * holds no address at all, and references nothing outside itself (its clip paths are fragments).
 */
final class SvgWriter {

    private SvgWriter() {
    }

    /** @param id unique within the page: it prefixes the chart's clip-path ids, which share the page's id space */
    static String write(Document.Chart chart, String id) {
        SVGGraphics2D g = new SVGGraphics2D(chart.width(), chart.height());
        g.setDefsKeyPrefix(id + "-");
        chart.chart().draw(g, new Rectangle(chart.width(), chart.height()));
        String element = g.getSVGElement();
        String body = element.substring(element.indexOf('>') + 1);
        return String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%s",
                chart.width(), chart.height(), chart.width(), chart.height(), Html.escape(chart.label()), body);
    }
}
