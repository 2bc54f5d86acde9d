package io.hotsnap.report;

import java.util.Locale;

/**
 * A {@link Drawing} as inline SVG, every text and attribute escaped. Inline in HTML it needs no
 * namespace, so the report references nothing outside itself.
 */
final class SvgWriter {

    private SvgWriter() {
    }

    static String write(Drawing d) {
        StringBuilder body = new StringBuilder();
        for (Drawing.Shape s : d.shapes()) {
            body.append(shape(s));
        }
        return String.format(Locale.ROOT, "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\">%n%s</svg>",
                d.width(), d.height(), d.width(), d.height(), e(d.label()), body);
    }

    // Java 17 has no pattern matching for switch: one instanceof per kind of shape.
    private static String shape(Drawing.Shape s) {
        if (s instanceof Drawing.Rect r) {
            return String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    + "<title>%s</title></rect>%n", e(r.kind()), r.x(), r.y(), r.w(), r.h(), e(r.fill()), e(r.title()));
        }
        if (s instanceof Drawing.Line l) {
            return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                    l.x1(), l.y1(), l.x2(), l.y2(), e(l.stroke()));
        }
        if (s instanceof Drawing.Text t) {
            return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
                    t.x(), t.y(), t.anchor().name().toLowerCase(Locale.ROOT), e(t.text()));
        }
        Drawing.Polyline p = (Drawing.Polyline) s;
        StringBuilder points = new StringBuilder();
        for (int i = 0; i + 1 < p.xy().length; i += 2) {
            points.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", p.xy()[i], p.xy()[i + 1]));
        }
        return String.format(Locale.ROOT, "<polyline class=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\">"
                + "<title>%s</title></polyline>%n", e(p.kind()), points, e(p.stroke()), e(p.title()));
    }

    private static String e(String text) {
        return Html.escape(text);
    }
}
