package io.hotsnap.report;

import java.util.Locale;

/**
 * A minimal inline SVG builder: rectangles, lines and text, every text and attribute escaped.
 * Inline in HTML it needs no namespace, so the report references nothing outside itself.
 */
final class Svg {

    private final int width;
    private final int height;
    private final String label;
    private final StringBuilder body = new StringBuilder();

    /** @param label what the image shows, for screen readers */
    Svg(int width, int height, String label) {
        this.width = width;
        this.height = height;
        this.label = label;
    }

    /** @param kind the CSS class, also what tests and readers find the shape by */
    Svg rect(double x, double y, double w, double h, String fill, String kind, String title) {
        body.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                Html.escape(kind), x, y, w, h, Html.escape(fill)));
        body.append("<title>").append(Html.escape(title)).append("</title></rect>\n");
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke) {
        body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, Html.escape(stroke)));
        return this;
    }

    /** @param anchor start, middle or end */
    Svg text(double x, double y, String text, String anchor) {
        body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
                x, y, Html.escape(anchor), Html.escape(text)));
        return this;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n%s</svg>",
                width, height, width, height, Html.escape(label), body);
    }
}
