package io.hotsnap.report;

import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/** Paints a {@link Drawing} as PDF vector graphics, scaled, its top-left corner at (left, top). */
final class PdfPainter {

    private final PDPageContentStream cs;
    private final PDType0Font font;
    private final float left;
    private final float top;
    private final float scale;

    PdfPainter(PDPageContentStream cs, PDType0Font font, float left, float top, float scale) {
        this.cs = cs;
        this.font = font;
        this.left = left;
        this.top = top;
        this.scale = scale;
    }

    void paint(Drawing d) throws IOException {
        for (Drawing.Shape s : d.shapes()) {
            shape(s);
        }
    }

    // Java 17 has no pattern matching for switch: one instanceof per kind of shape.
    private void shape(Drawing.Shape s) throws IOException {
        if (s instanceof Drawing.Rect r) {
            colour(r.fill(), false);
            cs.addRect(x(r.x()), y(r.y() + r.h()), (float) r.w() * scale, (float) r.h() * scale);
            cs.fill();
        } else if (s instanceof Drawing.Line l) {
            colour(l.stroke(), true);
            cs.setLineWidth(scale);
            cs.moveTo(x(l.x1()), y(l.y1()));
            cs.lineTo(x(l.x2()), y(l.y2()));
            cs.stroke();
        } else if (s instanceof Drawing.Text t) {
            float size = (float) Drawing.FONT_SIZE * scale;
            String text = PdfFonts.printable(font, t.text());
            float w = PdfFonts.width(font, text, size);
            float shift = t.anchor() == Drawing.Anchor.END ? w : t.anchor() == Drawing.Anchor.MIDDLE ? w / 2 : 0;
            colour(PdfWriter.TEXT, false);
            cs.beginText();
            cs.setFont(font, size);
            cs.newLineAtOffset(x(t.x()) - shift, y(t.y()));
            cs.showText(text);
            cs.endText();
        } else {
            Drawing.Polyline p = (Drawing.Polyline) s;
            if (p.xy().length < 4) {
                return;
            }
            colour(p.stroke(), true);
            cs.setLineWidth(2 * scale);
            cs.moveTo(x(p.xy()[0]), y(p.xy()[1]));
            for (int i = 2; i + 1 < p.xy().length; i += 2) {
                cs.lineTo(x(p.xy()[i]), y(p.xy()[i + 1]));
            }
            cs.stroke();
        }
    }

    private float x(double px) {
        return left + (float) px * scale;
    }

    /** PDF's y grows upwards. */
    private float y(double px) {
        return top - (float) px * scale;
    }

    private void colour(String hex, boolean stroke) throws IOException {
        PdfWriter.colour(cs, hex, stroke);
    }
}
