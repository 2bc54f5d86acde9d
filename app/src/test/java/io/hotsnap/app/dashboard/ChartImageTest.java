package io.hotsnap.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import javax.imageio.ImageIO;

import java.awt.Color;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

/** A chart drawn into an image: as large as its node, and drawn again whenever the chart changes. */
class ChartImageTest {

    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private JFreeChart chart;
    private ChartImage image;
    private Stage stage;

    @BeforeEach
    void show() throws Exception {
        Fx.start();
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(), new NumberAxis(), new BarRenderer());
        chart = new JFreeChart(null, null, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        stage = Fx.call(() -> {
            image = new ChartImage(chart);
            Stage s = new Stage();
            s.setScene(new Scene(new StackPane(image), 400, 300));
            s.show();
            return s;
        });
        Fx.waitUntil("the chart is drawn", () -> image.image() != null);
    }

    @AfterEach
    void close() throws Exception {
        Fx.call(() -> {
            stage.hide();
            return null;
        });
        FxToolkit.cleanupStages();
    }

    @Test
    void imageHasTheNodesSizeAndFollowsIt() throws Exception {
        assertEquals("400x300", Fx.call(() -> size(image.image())));
        Fx.call(() -> {
            stage.setWidth(500);
            stage.setHeight(200);
            return null;
        });
        Fx.waitUntil("the image follows the node", () -> size(image.image()).equals(
                (int) image.getWidth() + "x" + (int) image.getHeight()) && image.getWidth() == 500);
    }

    @Test
    void chartChangesAreDrawnAtOnce() throws Exception {
        assertEquals(0xFFFFFFFF, Fx.call(() -> image.image().getPixelReader().getArgb(2, 2)));
        Fx.call(() -> {
            chart.setBackgroundPaint(Color.RED);
            return null;
        });
        assertEquals(0xFFFF0000, Fx.call(() -> image.image().getPixelReader().getArgb(2, 2)));
    }

    @Test
    void savedPngIsTheChartAsLargeAsItIsShown(@TempDir Path dir) throws Exception {
        Fx.call(() -> {
            chart.setBackgroundPaint(Color.RED);
            return null;
        });
        Path file = Fx.call(() -> ChartMenu.savePng(image, dir.resolve("chart.png"))).join();
        BufferedImage saved = ImageIO.read(file.toFile());
        assertEquals("400x300", saved.getWidth() + "x" + saved.getHeight());
        assertEquals(0xFFFF0000, saved.getRGB(2, 2));
    }

    @Test
    void savingIntoAMissingDirectoryFailsWithOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gone").resolve("chart.png");
        CompletionException failure = assertThrows(CompletionException.class, () -> Fx.call(() -> ChartMenu.savePng(image, file)).join());
        assertEquals("cannot save the chart to " + file + ": no such directory", failure.getCause().getMessage());
    }

    private static String size(Image image) {
        return (int) image.getWidth() + "x" + (int) image.getHeight();
    }
}
