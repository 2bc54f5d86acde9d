package io.hotsnap.app.dashboard;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;

/**
 * What every dashboard chart shares on screen: its frame and its viewer. The charts themselves
 * are core's ({@code report.charts}, drawn into the reports as well). Titles, subtitles and
 * legends are JavaFX labels around the {@link ChartImage}, not JFreeChart titles: JFreeChart would
 * measure and lay out their text again on every redraw, the costliest part of drawing these charts.
 */
final class Charts {

    private Charts() {
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

    /** The chart's image, zoomed by dragging across it, with a right-click menu; {@code id} also names its saved file. */
    static ChartImage viewer(JFreeChart chart, String id) {
        ChartImage viewer = new ChartImage(chart);
        viewer.setId(id);
        viewer.setMinSize(100, 100);
        ChartMenu.install(viewer, ChartZoom.install(viewer), id);
        return viewer;
    }
}
