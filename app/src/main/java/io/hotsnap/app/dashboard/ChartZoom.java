package io.hotsnap.app.dashboard;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.Optional;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.shape.Rectangle;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.Zoomable;

/**
 * Drag across a chart to zoom its horizontal value axis (time, or ms of downtime) to that stretch,
 * so that a cut's few-ms pauses can be seen on a seconds-long timeline; double-click, or
 * {@link #showAll()}, to zoom back out. The rows (VMs, flows) stay as they are. A zoomed axis no
 * longer follows new data until it is zoomed out. FX thread only.
 */
final class ChartZoom {

    /** A shorter drag is a click that slipped, not a zoom. */
    private static final double MIN_DRAG_PX = 5;

    private final ChartImage image;
    private final Rectangle selection = new Rectangle();
    private double startX = Double.NaN;

    private ChartZoom(ChartImage image) {
        this.image = image;
        selection.getStyleClass().add("chart-zoom-selection");
        selection.setVisible(false);
        image.addOverlay(selection);
    }

    static ChartZoom install(ChartImage image) {
        ChartZoom zoom = new ChartZoom(image);
        image.addEventHandler(MouseEvent.MOUSE_PRESSED, zoom::pressed);
        image.addEventHandler(MouseEvent.MOUSE_DRAGGED, zoom::dragged);
        image.addEventHandler(MouseEvent.MOUSE_RELEASED, zoom::released);
        image.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                zoom.showAll();
            }
        });
        return zoom;
    }

    /** Zooms out: the axis follows the data again. */
    void showAll() {
        zoomable().ifPresent(z -> {
            PlotRenderingInfo info = image.plotInfo();
            Point2D centre = new Point2D.Double(info.getDataArea().getCenterX(), info.getDataArea().getCenterY());
            // A factor of 0 is JFreeChart's "auto range again".
            if (acrossIsDomain(z)) {
                z.zoomDomainAxes(0, info, centre);
            } else {
                z.zoomRangeAxes(0, info, centre);
            }
        });
    }

    /**
     * Zooms the horizontal axis to what lies between {@code fromX} and {@code toX} (this node's
     * coordinates, either order, clipped to the data area).
     */
    void zoomTo(double fromX, double toX) {
        zoomable().ifPresent(z -> {
            PlotRenderingInfo info = image.plotInfo();
            Rectangle2D area = info.getDataArea();
            if (area.getWidth() <= 0) {
                return;
            }
            double lower = fraction(Math.min(fromX, toX), area);
            double upper = fraction(Math.max(fromX, toX), area);
            if (upper <= lower) {
                return;
            }
            Point2D centre = new Point2D.Double(area.getCenterX(), area.getCenterY());
            if (acrossIsDomain(z)) {
                z.zoomDomainAxes(lower, upper, info, centre);
            } else {
                z.zoomRangeAxes(lower, upper, info, centre);
            }
        });
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() == MouseButton.PRIMARY && image.plotInfo().getDataArea().contains(e.getX(), e.getY())) {
            startX = e.getX();
        }
    }

    private void dragged(MouseEvent e) {
        if (Double.isNaN(startX)) {
            return;
        }
        Rectangle2D area = image.plotInfo().getDataArea();
        double x = clip(e.getX(), area);
        selection.setX(Math.min(startX, x));
        selection.setWidth(Math.abs(x - startX));
        selection.setY(area.getMinY());
        selection.setHeight(area.getHeight());
        selection.setVisible(true);
    }

    private void released(MouseEvent e) {
        if (Double.isNaN(startX)) {
            return;
        }
        double from = startX;
        double to = clip(e.getX(), image.plotInfo().getDataArea());
        startX = Double.NaN;
        selection.setVisible(false);
        if (Math.abs(to - from) >= MIN_DRAG_PX) {
            zoomTo(from, to);
        }
    }

    /** The plot, when its horizontal axis can be zoomed. */
    private Optional<Zoomable> zoomable() {
        return image.getChart().getPlot() instanceof Zoomable z && (acrossIsDomain(z) ? z.isDomainZoomable() : z.isRangeZoomable())
                ? Optional.of(z) : Optional.empty();
    }

    /** In a horizontal plot the value (range) axis runs across; in a vertical one the domain axis does. */
    private static boolean acrossIsDomain(Zoomable z) {
        return z.getOrientation() == PlotOrientation.VERTICAL;
    }

    private static double fraction(double x, Rectangle2D area) {
        return (clip(x, area) - area.getMinX()) / area.getWidth();
    }

    private static double clip(double x, Rectangle2D area) {
        return Math.max(area.getMinX(), Math.min(area.getMaxX(), x));
    }
}
