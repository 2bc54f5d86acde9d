package io.hotsnap.report.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.util.List;
import java.util.function.Consumer;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYDataset;

/**
 * What every chart shares, on screen and in files: its look, its row axes, and changing its data
 * in one batch. Charts have no title and no legend: the dashboard puts JavaFX labels around them
 * (JFreeChart would lay their text out again on every redraw) and a report its headings and colour
 * keys.
 */
public final class ChartLook {

    /** SansSerif: the PDF writer maps it onto the report's embedded font. */
    public static final Font LABEL = new Font("SansSerif", Font.PLAIN, 12);
    /** Beyond this many rows the names would overlap: the axis says how many instead. */
    static final int MAX_LABELLED_ROWS = 40;

    private ChartLook() {
    }

    /** A chart of just the plot: no title, no legend. */
    static JFreeChart chart(Plot plot) {
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        // A value axis across ends at the chart's right edge and its last tick label is centred
        // there: room for half of a label such as "10,000", or Java2D cuts it off.
        chart.setPadding(new RectangleInsets(0, 0, 0, 20));
        chart.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Palette.GRID);
        return chart;
    }

    static void style(Axis axis) {
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(LABEL);
        axis.setLabelPaint(Palette.TEXT);
        axis.setTickLabelPaint(Palette.TEXT);
    }

    /**
     * Bars on named rows (VMs, flows) with marks over them, time across: the rows top down, each
     * bar from its y start to its y end across its x interval, each mark a shape at (row, time).
     *
     * @param barColours  one per series of {@code bars}
     * @param markColours one per series of {@code marks}, as {@code markShapes}
     */
    static XYPlot rowsOverTime(SymbolAxis rowAxis, String timeLabel, XYDataset bars, List<Color> barColours, XYDataset marks,
                               List<Color> markColours, List<Shape> markShapes) {
        XYBarRenderer barRenderer = new XYBarRenderer();
        barRenderer.setUseYInterval(true);
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        for (int i = 0; i < barColours.size(); i++) {
            barRenderer.setSeriesPaint(i, barColours.get(i));
        }
        XYLineAndShapeRenderer markRenderer = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < markColours.size(); i++) {
            markRenderer.setSeriesPaint(i, markColours.get(i));
            markRenderer.setSeriesShape(i, markShapes.get(i));
        }
        rowAxis.setInverted(true);
        rowAxis.setGridBandsVisible(false);
        style(rowAxis);
        NumberAxis time = new NumberAxis(timeLabel);
        time.setAutoRangeIncludesZero(false);
        style(time);
        XYPlot plot = new XYPlot(bars, rowAxis, time, barRenderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDataset(1, marks);
        plot.setRenderer(1, markRenderer);
        plot.setRangeGridlinePaint(Palette.GRID);
        plot.setDomainGridlinesVisible(false);
        return plot;
    }

    /** A row axis (VMs, flows) listing {@code names} top down, or just their count when there are too many. */
    static void rows(SymbolAxis axis, List<String> names, String what) {
        axis.setSymbols(names.toArray(String[]::new));
        axis.setRange(-0.5, Math.max(0.5, names.size() - 0.5));
        boolean labelled = names.size() <= MAX_LABELLED_ROWS;
        axis.setTickLabelsVisible(labelled);
        axis.setLabel(labelled ? null : names.size() + " " + what);
    }

    /**
     * Applies a batch of dataset changes with notification off, then redraws once: otherwise every
     * added item would recompute the axes and repaint the dashboard's canvas.
     *
     * @param notifiers the {@code setNotify} of each series or dataset the batch changes
     */
    static void batch(JFreeChart chart, List<Consumer<Boolean>> notifiers, Runnable change) {
        chart.setNotify(false);
        notifiers.forEach(n -> n.accept(false));
        try {
            change.run();
        } finally {
            // Each fires once as it is switched back on; the chart's own is last, so one redraw.
            notifiers.forEach(n -> n.accept(true));
            chart.setNotify(true);
        }
    }
}
