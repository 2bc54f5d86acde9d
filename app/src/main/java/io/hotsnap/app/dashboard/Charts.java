package io.hotsnap.app.dashboard;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.ui.RectangleInsets;

/**
 * What every dashboard chart shares: its look, its frame, and redrawing once per batch. Titles,
 * subtitles and legends are JavaFX labels around the {@link ChartImage}, not JFreeChart titles:
 * JFreeChart would measure and lay out their text again on every redraw, the costliest part of
 * drawing these charts.
 */
final class Charts {

    static final Font LABEL = new Font("SansSerif", Font.PLAIN, 12);
    /** Beyond this many rows the names would overlap: the axis says how many instead. */
    static final int MAX_LABELLED_ROWS = 40;

    private Charts() {
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

    /** Title, subtitle (may be null), the chart, and its legend (may be null), top down. */
    static VBox frame(String title, Label subtitle, ChartImage viewer, Node legend) {
        Label heading = new Label(title);
        heading.getStyleClass().add("plot-title");
        VBox frame = new VBox(heading);
        if (subtitle != null) {
            subtitle.getStyleClass().add("plot-subtitle");
            subtitle.setWrapText(true);
            frame.getChildren().add(subtitle);
        }
        VBox.setVgrow(viewer, Priority.ALWAYS);
        frame.getChildren().add(viewer);
        if (legend != null) {
            frame.getChildren().add(legend);
        }
        frame.getStyleClass().add("plot-frame");
        // The split panes decide the size; a chart must not insist on its preferred one.
        frame.setMinSize(0, 0);
        return frame;
    }

    /** The legend's items, wrapping onto more lines when the chart is narrow. */
    static FlowPane legend(Node... items) {
        FlowPane legend = new FlowPane(items);
        legend.getStyleClass().add("plot-legend");
        return legend;
    }

    /** A legend item: a swatch styled {@code .swatch.KIND} (colours in the stylesheet) and its text. */
    static Label legendItem(String kind, String text) {
        Region swatch = new Region();
        swatch.getStyleClass().addAll("swatch", kind);
        return new Label(text, swatch);
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

    /** The chart's image, zoomed by dragging across it, with a right-click menu; {@code id} also names its saved file. */
    static ChartImage viewer(JFreeChart chart, String id) {
        ChartImage viewer = new ChartImage(chart);
        viewer.setId(id);
        viewer.setMinSize(100, 100);
        ChartMenu.install(viewer, ChartZoom.install(viewer), id);
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
