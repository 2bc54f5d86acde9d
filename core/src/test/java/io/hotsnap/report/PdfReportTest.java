package io.hotsnap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.CatalogEntry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PDF report of the recorded 3-VM hold cut, read back by PDFBox and rendered by poppler's pdftoppm. */
class PdfReportTest {

    @TempDir
    static Path dir;
    private static byte[] pdf;
    private static List<BufferedImage> pages;

    @BeforeAll
    static void renderRecordedCut() throws Exception {
        pdf = ReportFormat.PDF.render(Report.snapshot(new CatalogEntry(RecordedSnapshot.manifest(), RecordedSnapshot.record())));
        Path file = dir.resolve("report.pdf");
        Files.write(file, pdf);
        pages = pdftoppm(file);
        // docs/samples/report-sample.pdf is this file: -Dhotsnap.report.sample=PATH writes it there.
        String sample = System.getProperty("hotsnap.report.sample");
        if (sample != null) {
            Files.write(Path.of(sample), pdf);
        }
    }

    @Test
    void textNamesEveryVmAndSaysTheCutWasConsistent() throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            RecordedSnapshot.result().vms().forEach(v -> assertTrue(text.contains(v.name()), v.name()));
            assertTrue(text.contains("orphan packets: 0 (a consistent cut)"), text);
            assertTrue(text.contains("10.77.0.11:51244 > 10.77.0.12:5001"), "the TCP flows table");
            assertTrue(text.contains("lab1 → lab2"), "an arrow, outside WinAnsi: " + text);
            assertTrue(text.contains("Kernel of local"), "the environment");
        }
    }

    @Test
    void aTableRunningOntoMorePagesRepeatsItsHeaderOnEach() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            rows.add(List.of("vm-" + i, String.valueOf(i)));
        }
        byte[] many = PdfWriter.write(new Document("Many VMs", List.of(new Document.Table(List.of("VM", "Downtime ms"), rows))));
        try (PDDocument doc = Loader.loadPDF(many)) {
            assertTrue(doc.getNumberOfPages() >= 3, "150 rows take pages: " + doc.getNumberOfPages());
            for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                PDFTextStripper page = new PDFTextStripper();
                page.setStartPage(p);
                page.setEndPage(p);
                String text = page.getText(doc);
                assertEquals(1, text.split("Downtime ms", -1).length - 1, "page " + p + " has the header once: " + text);
                assertTrue(text.indexOf("Downtime ms") < text.indexOf("vm-"), "page " + p + " starts its rows below the header");
            }
            assertTrue(new PDFTextStripper().getText(doc).contains("vm-150"), "every row is there");
        }
    }

    @Test
    void everyFontIsEmbedded() throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            List<String> fonts = new ArrayList<>();
            for (PDPage page : doc.getPages()) {
                for (var name : page.getResources().getFontNames()) {
                    PDFont font = page.getResources().getFont(name);
                    assertTrue(font.isEmbedded(), font.getName() + " is embedded");
                    fonts.add(font.getName());
                }
            }
            assertTrue(fonts.stream().anyMatch(f -> f.contains("DejaVuSans")), fonts.toString());
        }
    }

    @Test
    void chartsAreVectorsNotImages() throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int forms = 0;
            for (PDPage page : doc.getPages()) {
                forms += vectorForms(page.getResources());
            }
            assertEquals(4, forms, "timeline, downtime, progress and TCP: one vector form each");
        }
    }

    /** The form XObjects in {@code resources} and, recursively, theirs; fails on an image. */
    private static int vectorForms(PDResources resources) throws IOException {
        int forms = 0;
        for (COSName name : resources.getXObjectNames()) {
            PDXObject x = resources.getXObject(name);
            assertFalse(x instanceof PDImageXObject, "no image (" + name.getName() + ") on a page");
            if (x instanceof PDFormXObject form) {
                forms += 1 + vectorForms(form.getResources());
            }
        }
        return forms;
    }

    @Test
    void chartTextIsTextInTheEmbeddedFont() throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("ms from the first event"), "the timeline's axis: " + text);
            assertTrue(text.contains("ms from the first snapshot point"), "the TCP chart's axis");
            for (PDPage page : doc.getPages()) {
                for (COSName name : page.getResources().getXObjectNames()) {
                    if (page.getResources().getXObject(name) instanceof PDFormXObject form) {
                        for (COSName font : form.getResources().getFontNames()) {
                            assertTrue(form.getResources().getFont(font).isEmbedded(), font.getName() + " is embedded");
                            assertTrue(form.getResources().getFont(font).getName().contains("DejaVuSans"), font.getName());
                        }
                    }
                }
            }
        }
    }

    @Test
    void renderedPagesAreNotBlankAndShowThePalette() {
        assertTrue(pages.size() >= 1, "at least one page");
        double inked = pages.stream().mapToDouble(PdfReportTest::inkedShare).max().orElse(0);
        assertTrue(inked > 0.02, "a page has more than 2 % ink: " + inked);
        for (String colour : List.of(Charts.HOLD, Charts.PAUSE, Charts.COPY, Charts.STALL)) {
            assertTrue(pages.stream().anyMatch(p -> has(p, colour)), colour + " appears on a rendered page");
        }
    }

    /** Every page as a PNG at 50 dpi, read back. */
    private static List<BufferedImage> pdftoppm(Path pdfFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pdftoppm", "-r", "50", "-png", pdfFile.toString(), dir.resolve("page").toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pdftoppm finished");
        assertEquals(0, p.exitValue(), "pdftoppm: " + output);
        List<BufferedImage> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path png : files.filter(f -> f.getFileName().toString().startsWith("page")).sorted().toList()) {
                images.add(ImageIO.read(png.toFile()));
            }
        }
        return images;
    }

    private static double inkedShare(BufferedImage image) {
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    inked++;
                }
            }
        }
        return (double) inked / ((long) image.getWidth() * image.getHeight());
    }

    /** A pixel within a small distance of {@code #RRGGBB} (anti-aliasing leaves bar interiors exact). */
    private static boolean has(BufferedImage image, String hex) {
        int want = Integer.parseInt(hex.substring(1), 16);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int d = Math.abs((rgb >> 16 & 0xFF) - (want >> 16 & 0xFF)) + Math.abs((rgb >> 8 & 0xFF) - (want >> 8 & 0xFF))
                        + Math.abs((rgb & 0xFF) - (want & 0xFF));
                if (d <= 6) {
                    return true;
                }
            }
        }
        return false;
    }
}
