package io.hotsnap.app.dashboard;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.IntBuffer;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.stage.Window;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotRenderingInfo;

/**
 * A JFreeChart drawn by Java2D into pixels that JavaFX only shows, redrawn whenever the chart
 * changes. Not JFreeChart's JavaFX bridge ({@code ChartViewer}): it turns each bar, line and glyph
 * into a canvas command that JavaFX's renderer replays at the next frame, and a pulse waits for
 * the previous frame's painting; with the software renderer (headless, remote X, no GPU) a 100-VM
 * burst then kept the FX thread busy up to 40.5 ms at a stretch, against 27.1 ms drawn this way
 * (medians of 4 interleaved {@code hotsnap bench-ui} invocations each). Java2D draws one of these
 * charts in 2-9 ms on the FX thread; the frame only copies the pixels, kept in the renderer's own
 * format so that no frame converts them. Drawn at the window's render scale (sharp on HiDPI),
 * checked at each layout. FX thread only.
 */
public final class ChartImage extends Region {

    private final JFreeChart chart;
    private final ImageView view = new ImageView();
    /**
     * Java2D draws here, then the pixels are copied at once into {@link #shown}: the renderer may
     * be painting the previous frame from it meanwhile, and must not see a half-drawn chart.
     */
    private BufferedImage pixels;
    private int[] shownPixels;
    private PixelBuffer<IntBuffer> shown;
    private double scale = 1;
    /** The last draw's plot and data area, in this node's coordinates; without entities (one per bar: costly). */
    private ChartRenderingInfo drawn = new ChartRenderingInfo(null);

    ChartImage(JFreeChart chart) {
        this.chart = chart;
        getStyleClass().add("chart-image");
        // Unmanaged: the image has the size of the node, so as a managed child it would make that
        // size the node's preferred one, and the chart would never give up room (to a wrapped subtitle, say).
        view.setManaged(false);
        getChildren().add(view);
        chart.addChangeListener(event -> draw());
    }

    public JFreeChart getChart() {
        return chart;
    }

    /** Where the last draw put the plot and its data area, in this node's coordinates. */
    PlotRenderingInfo plotInfo() {
        return drawn.getPlotInfo();
    }

    /** Shows {@code node} over the chart, placed by its owner (a zoom's selection, say). */
    void addOverlay(Node node) {
        node.setManaged(false);
        getChildren().add(node);
    }

    /** What is shown now; null before the first layout. */
    Image image() {
        return view.getImage();
    }

    @Override
    protected void layoutChildren() {
        double width = snapSizeX(getWidth());
        double height = snapSizeY(getHeight());
        Window window = getScene() == null ? null : getScene().getWindow();
        double renderScale = window == null ? 1 : window.getRenderScaleX();
        int w = (int) Math.ceil(width * renderScale);
        int h = (int) Math.ceil(height * renderScale);
        if (w <= 0 || h <= 0) {
            return;
        }
        if (pixels == null || pixels.getWidth() != w || pixels.getHeight() != h || scale != renderScale) {
            pixels = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB_PRE);
            shownPixels = new int[w * h];
            // In the renderer's own format (premultiplied int ARGB): no conversion per frame.
            shown = new PixelBuffer<>(w, h, IntBuffer.wrap(shownPixels), PixelFormat.getIntArgbPreInstance());
            scale = renderScale;
            view.setImage(new WritableImage(shown));
            draw();
        }
        view.setFitWidth(width);
        view.setFitHeight(height);
        view.relocate(0, 0);
    }

    private void draw() {
        if (pixels == null) {
            return;
        }
        int w = pixels.getWidth();
        int h = pixels.getHeight();
        Graphics2D g = pixels.createGraphics();
        try {
            g.scale(scale, scale);
            ChartRenderingInfo info = new ChartRenderingInfo(null);
            chart.draw(g, new Rectangle2D.Double(0, 0, w / scale, h / scale), info);
            drawn = info;
        } finally {
            g.dispose();
        }
        int[] argb = ((DataBufferInt) pixels.getRaster().getDataBuffer()).getData();
        shown.updateBuffer(buffer -> {
            System.arraycopy(argb, 0, shownPixels, 0, argb.length);
            return null;
        });
    }
}
