package io.hotsnap.report;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.util.Matrix;

/**
 * A {@link Document} as a PDF: A4 pages, text in embedded DejaVu Sans, charts as vector graphics
 * (each chart's Java2D drawing turned into a PDF form by pdfbox-graphics2d), a page number on
 * every page. Blocks flow down the page; a heading never ends a page, and a table row or chart
 * that does not fit starts the next.
 */
final class PdfWriter {

    private static final String TEXT = "#222222";
    private static final String RULE = "#CCCCCC";
    private static final String HEADER_FILL = "#EEF1F5";
    private static final String FOOTER = "#777777";
    private static final float MARGIN = 42;
    private static final float TITLE = 16;
    private static final float HEADING = 12;
    private static final float BODY = 9;
    private static final float PAD = 3;

    private final PDDocument doc;
    private final PdfFonts fonts;
    private final PDRectangle size = PDRectangle.A4;
    private final float width = size.getWidth() - 2 * MARGIN;
    private PDPageContentStream cs;
    private float y;

    private PdfWriter(PDDocument doc) throws IOException {
        this.doc = doc;
        this.fonts = PdfFonts.load(doc);
    }

    /** @throws IOException when the fonts are missing (its message says which package to install) */
    static byte[] write(Document document) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            doc.getDocumentInformation().setTitle("HotSnap " + document.title());
            doc.getDocumentInformation().setCreator("HotSnap Console");
            PdfWriter w = new PdfWriter(doc);
            w.newPage();
            w.text(document.title(), w.fonts.bold, TITLE, MARGIN);
            w.y -= TITLE * 0.6f;
            List<Document.Block> blocks = document.blocks();
            for (int i = 0; i < blocks.size(); i++) {
                w.block(blocks.get(i), i + 1 < blocks.size() ? blocks.get(i + 1) : null);
            }
            w.cs.close();
            w.pageNumbers(document.title());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    // Java 17 has no pattern matching for switch: one instanceof per kind of block.
    private void block(Document.Block b, Document.Block next) throws IOException {
        if (b instanceof Document.Heading h) {
            // Keep a heading with the start of what follows it.
            room(HEADING * 2.2f + (next instanceof Document.Figure f ? figureHeight(f) : BODY * 5));
            y -= HEADING * 0.8f;
            text(h.text(), fonts.bold, HEADING, MARGIN);
            y -= HEADING * 0.3f;
        } else if (b instanceof Document.Paragraph p) {
            for (String line : wrap(p.text(), fonts.regular, BODY, width)) {
                room(BODY * 1.5f);
                text(line, fonts.regular, BODY, MARGIN);
            }
            y -= BODY * 0.5f;
        } else if (b instanceof Document.Fields f) {
            float nameWidth = 0;
            for (Document.Field x : f.fields()) {
                nameWidth = Math.max(nameWidth, PdfFonts.width(fonts.bold, PdfFonts.printable(fonts.bold, x.name()), BODY));
            }
            for (Document.Field x : f.fields()) {
                List<String> lines = wrap(x.value(), fonts.regular, BODY, width - nameWidth - 12);
                room(BODY * 1.5f * lines.size());
                float top = y;
                text(x.name(), fonts.bold, BODY, MARGIN);
                y = top;
                for (String line : lines) {
                    text(line, fonts.regular, BODY, MARGIN + nameWidth + 12);
                }
            }
            y -= BODY * 0.5f;
        } else if (b instanceof Document.Table t) {
            table(t);
        } else {
            figure((Document.Figure) b);
        }
    }

    /**
     * Columns as wide as their widest cell; the font shrinks (to 6 pt at least) until the table fits
     * the page. A table that runs onto another page repeats its header there.
     */
    private void table(Document.Table t) throws IOException {
        List<List<String>> all = new ArrayList<>();
        all.add(t.header());
        all.addAll(t.rows());
        float[] widths = new float[t.header().size()];
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                PDType0Font font = row == t.header() ? fonts.bold : fonts.regular;
                widths[c] = Math.max(widths[c], PdfFonts.width(font, PdfFonts.printable(font, row.get(c)), BODY) + 2 * PAD);
            }
        }
        float total = 0;
        for (float w : widths) {
            total += w;
        }
        float fontSize = total > width ? Math.max(6, BODY * width / total) : BODY;
        float factor = fontSize / BODY;
        Columns columns = new Columns(widths, factor, fontSize, fontSize * 1.7f, total * factor);
        // A header alone at the foot of a page says nothing: it goes over with the first row.
        room(2 * columns.rowHeight());
        tableRow(t.header(), true, columns);
        for (List<String> row : t.rows()) {
            if (y - columns.rowHeight() < MARGIN) {
                cs.close();
                newPage();
                tableRow(t.header(), true, columns);
            }
            tableRow(row, false, columns);
        }
        y -= BODY;
    }

    /** A table's column widths at {@code BODY} size, scaled by {@code factor} to {@code fontSize}; {@code total} the scaled sum. */
    private record Columns(float[] widths, float factor, float fontSize, float rowHeight, float total) {
    }

    private void tableRow(List<String> row, boolean header, Columns columns) throws IOException {
        float rowHeight = columns.rowHeight();
        float fontSize = columns.fontSize();
        float x = MARGIN;
        if (header) {
            colour(cs, HEADER_FILL, false);
            cs.addRect(MARGIN, y - rowHeight, columns.total(), rowHeight);
            cs.fill();
        }
        PDType0Font font = header ? fonts.bold : fonts.regular;
        for (int c = 0; c < row.size(); c++) {
            String cell = PdfFonts.printable(font, row.get(c));
            float w = columns.widths()[c] * columns.factor();
            // Names left, figures right, as in the HTML.
            float tx = c == 0 ? x + PAD * columns.factor() : x + w - PAD * columns.factor() - PdfFonts.width(font, cell, fontSize);
            show(cell, font, fontSize, tx, y - rowHeight + fontSize * 0.55f);
            x += w;
        }
        colour(cs, RULE, true);
        cs.setLineWidth(0.5f);
        cs.moveTo(MARGIN, y - rowHeight);
        cs.lineTo(MARGIN + columns.total(), y - rowHeight);
        cs.stroke();
        y -= rowHeight;
    }

    private void figure(Document.Figure f) throws IOException {
        room(figureHeight(f));
        if (!f.keys().isEmpty()) {
            float x = MARGIN;
            y -= BODY * 1.2f;
            for (Document.Key k : f.keys()) {
                String label = PdfFonts.printable(fonts.regular, k.label());
                float w = BODY + 4 + PdfFonts.width(fonts.regular, label, BODY) + 14;
                if (x + w > MARGIN + width) {
                    x = MARGIN;
                    y -= BODY * 1.5f;
                }
                colour(cs, k.colour(), false);
                cs.addRect(x, y - 1, BODY, BODY * 0.8f);
                cs.fill();
                show(label, fonts.regular, BODY, x + BODY + 4, y);
                x += w;
            }
            y -= BODY * 0.8f;
        }
        Document.Chart chart = f.chart();
        float scale = scale(chart);
        PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, chart.width(), chart.height());
        try {
            g.setFontTextDrawer(fonts.chartText());
            chart.chart().draw(g, new Rectangle(chart.width(), chart.height()));
        } finally {
            g.dispose();
        }
        y -= chart.height() * scale;
        // The chart's form is its own vector content; it is placed, scaled, at the cursor.
        cs.saveGraphicsState();
        cs.transform(new Matrix(scale, 0, 0, scale, MARGIN, y));
        cs.drawForm(g.getXFormObject());
        cs.restoreGraphicsState();
        y -= BODY;
    }

    private float figureHeight(Document.Figure f) {
        return f.chart().height() * scale(f.chart()) + (f.keys().isEmpty() ? 0 : BODY * 3) + BODY;
    }

    private float scale(Document.Chart chart) {
        return Math.min(1, width / chart.width());
    }

    /** Starts a new page unless {@code height} points fit below the cursor. */
    private void room(float height) throws IOException {
        if (y - height < MARGIN) {
            cs.close();
            newPage();
        }
    }

    private void newPage() throws IOException {
        PDPage page = new PDPage(size);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = size.getHeight() - MARGIN;
    }

    /** One line at x, the cursor moved below it. */
    private void text(String text, PDType0Font font, float fontSize, float x) throws IOException {
        y -= fontSize * 1.2f;
        show(PdfFonts.printable(font, text), font, fontSize, x, y);
        y -= fontSize * 0.3f;
    }

    private void show(String printable, PDType0Font font, float fontSize, float x, float baseline) throws IOException {
        colour(cs, TEXT, false);
        cs.beginText();
        cs.setFont(font, fontSize);
        cs.newLineAtOffset(x, baseline);
        cs.showText(printable);
        cs.endText();
    }

    /** Words of {@code text} in lines no wider than {@code max}; a longer word gets a line of its own. */
    private static List<String> wrap(String text, PDType0Font font, float fontSize, float max) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : PdfFonts.printable(font, text).split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && PdfFonts.width(font, candidate, fontSize) > max) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        return lines;
    }

    private void pageNumbers(String title) throws IOException {
        int n = doc.getNumberOfPages();
        for (int i = 0; i < n; i++) {
            try (PDPageContentStream footer = new PDPageContentStream(doc, doc.getPage(i), PDPageContentStream.AppendMode.APPEND, true, true)) {
                String text = PdfFonts.printable(fonts.regular, "HotSnap " + title + " · page " + (i + 1) + " of " + n);
                colour(footer, FOOTER, false);
                footer.beginText();
                footer.setFont(fonts.regular, 7);
                footer.newLineAtOffset(MARGIN, MARGIN / 2);
                footer.showText(text);
                footer.endText();
            }
        }
    }

    /** Sets the fill or stroke colour from {@code #RRGGBB}. */
    private static void colour(PDPageContentStream cs, String hex, boolean stroke) throws IOException {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        float r = (rgb >> 16 & 0xFF) / 255f;
        float g = (rgb >> 8 & 0xFF) / 255f;
        float b = (rgb & 0xFF) / 255f;
        if (stroke) {
            cs.setStrokingColor(r, g, b);
        } else {
            cs.setNonStrokingColor(r, g, b);
        }
    }
}
