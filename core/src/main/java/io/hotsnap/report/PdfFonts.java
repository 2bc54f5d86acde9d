package io.hotsnap.report;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawer;
import io.hotsnap.report.charts.ChartLook;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * DejaVu Sans, regular and bold, embedded (subset) in the PDF: the standard 14 fonts know only
 * WinAnsi, and reports carry arrows, ± and whatever a VM is named. Characters DejaVu lacks print
 * as '?'.
 */
final class PdfFonts {

    /** Where Debian's fonts-dejavu-core puts them (installers/setup-host.sh installs it). */
    static final Path DIR = Path.of("/usr/share/fonts/truetype/dejavu");

    final PDType0Font regular;
    final PDType0Font bold;
    private final PdfBoxGraphics2DFontTextDrawer chartText = new PdfBoxGraphics2DFontTextDrawer();

    private PdfFonts(PDType0Font regular, PDType0Font bold) {
        this.regular = regular;
        this.bold = bold;
        // The charts' Java2D SansSerif (ChartLook.LABEL) written as this text, not as glyph outlines: searchable, copyable.
        chartText.registerFont(ChartLook.LABEL.getFontName(), regular);
        chartText.registerFont(ChartLook.LABEL.deriveFont(Font.BOLD).getFontName(), bold);
    }

    /** How charts draw their text: in these fonts (text other fonts would need is drawn as outlines). */
    PdfBoxGraphics2DFontTextDrawer chartText() {
        return chartText;
    }

    /** @throws IOException naming the package to install when the fonts are missing */
    static PdfFonts load(PDDocument doc) throws IOException {
        return new PdfFonts(font(doc, "DejaVuSans.ttf"), font(doc, "DejaVuSans-Bold.ttf"));
    }

    private static PDType0Font font(PDDocument doc, String name) throws IOException {
        Path file = DIR.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IOException("PDF reports need the DejaVu Sans font, " + file + " is missing (apt-get install fonts-dejavu-core)");
        }
        return PDType0Font.load(doc, file.toFile());
    }

    /** {@code text} as one line the font can show: control characters as spaces, missing glyphs as '?'. */
    static String printable(PDType0Font font, String text) {
        String line = text == null ? "" : text.replaceAll("\\p{Cntrl}", " ");
        try {
            font.encode(line);
            return line;
        } catch (IOException | IllegalArgumentException e) {
            StringBuilder sb = new StringBuilder();
            line.codePoints().forEach(c -> sb.appendCodePoint(canShow(font, c) ? c : '?'));
            return sb.toString();
        }
    }

    private static boolean canShow(PDType0Font font, int codePoint) {
        try {
            font.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Width of printable {@code text} in points at {@code size}. */
    static float width(PDType0Font font, String text, float size) throws IOException {
        return font.getStringWidth(text) / 1000 * size;
    }
}
