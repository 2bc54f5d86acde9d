package io.hotsnap.report.charts;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.function.Consumer;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.ui.RectangleInsets;

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
    public static final int MAX_LABELLED_ROWS = 40;

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
