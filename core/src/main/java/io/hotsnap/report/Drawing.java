package io.hotsnap.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A chart as drawing primitives in px, y downwards: each chart's layout is computed once, here,
 * and written by {@link SvgWriter} (HTML) and {@link PdfWriter} (PDF) alike.
 *
 * @param label what the chart shows, for screen readers
 */
record Drawing(double width, double height, String label, List<Shape> shapes) {

    /** Colours are {@code #RRGGBB}. */
    sealed interface Shape permits Rect, Line, Text, Polyline {
    }

    /** @param kind what tests and readers find the shape by (the SVG class); title its tooltip */
    record Rect(double x, double y, double w, double h, String fill, String kind, String title) implements Shape {
    }

    record Line(double x1, double y1, double x2, double y2, String stroke) implements Shape {
    }

    enum Anchor { START, MIDDLE, END }

    /** One line of text, its baseline at y, {@link #FONT_SIZE} px. */
    record Text(double x, double y, String text, Anchor anchor) implements Shape {
    }

    /** @param xy x0, y0, x1, y1, … */
    record Polyline(double[] xy, String stroke, String kind, String title) implements Shape {
    }

    static final double FONT_SIZE = 11;

    /** Collects a drawing's shapes in painting order. */
    static final class Builder {
        private final double width;
        private final double height;
        private final String label;
        private final List<Shape> shapes = new ArrayList<>();

        Builder(double width, double height, String label) {
            this.width = width;
            this.height = height;
            this.label = label;
        }

        Builder rect(double x, double y, double w, double h, String fill, String kind, String title) {
            shapes.add(new Rect(x, y, w, h, fill, kind, title));
            return this;
        }

        Builder line(double x1, double y1, double x2, double y2, String stroke) {
            shapes.add(new Line(x1, y1, x2, y2, stroke));
            return this;
        }

        Builder text(double x, double y, String text, Anchor anchor) {
            shapes.add(new Text(x, y, text, anchor));
            return this;
        }

        Builder polyline(double[] xy, String stroke, String kind, String title) {
            shapes.add(new Polyline(xy.clone(), stroke, kind, title));
            return this;
        }

        Drawing build() {
            return new Drawing(width, height, label, List.copyOf(shapes));
        }
    }
}
