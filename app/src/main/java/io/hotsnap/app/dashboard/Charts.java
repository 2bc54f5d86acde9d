package io.hotsnap.app.dashboard;

import java.awt.Font;
import java.util.List;
import java.util.function.Consumer;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.title.TextTitle;

/** What every dashboard chart shares: its look, its viewer, and redrawing once per batch. */
final class Charts {

    static final Font TITLE = new Font("SansSerif", Font.BOLD, 14);
    static final Font LABEL = new Font("SansSerif", Font.PLAIN, 12);
    static final Font SUBTITLE = new Font("SansSerif", Font.PLAIN, 12);
    /** Beyond this many rows the names would overlap: the axis says how many instead. */
    static final int MAX_LABELLED_ROWS = 40;

    private Charts() {
    }

    /** How a VM (or a flow's end) is named on a row axis. */
    static String rowName(String host, String vm) {
        return host + "/" + vm;
    }

    static JFreeChart chart(String title, Plot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        chart.getTitle().setPaint(Palette.TEXT);
        if (legend) {
            chart.getLegend().setItemFont(LABEL);
        }
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setOutlinePaint(Palette.GRID);
        return chart;
    }

    static TextTitle subtitle(JFreeChart chart) {
        TextTitle subtitle = new TextTitle("", SUBTITLE);
        subtitle.setPaint(Palette.TEXT);
        chart.addSubtitle(subtitle);
        return subtitle;
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

    static ChartViewer viewer(JFreeChart chart, String id) {
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId(id);
        // The split panes decide the size; a chart must not insist on its preferred one.
        viewer.setMinSize(120, 120);
        return viewer;
    }

    /**
     * Applies a batch of dataset changes with notification off, then redraws once: otherwise every
     * added item would recompute the axes and repaint the canvas on the FX thread.
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
