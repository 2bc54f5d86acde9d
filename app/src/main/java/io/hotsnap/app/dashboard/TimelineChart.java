package io.hotsnap.app.dashboard;

import io.hotsnap.protocol.EventKind;
import java.awt.geom.Path2D;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The Gantt-style timeline: one row per VM, time across in ms from the first event. Each row has
 * three bands, top to bottom: hold, pause, full copy; so a few-ms pause next to a seconds-long copy
 * stays visible by its place and its STOP/RESUME marks.
 */
final class TimelineChart {

    private static final double BAND = 0.28;

    private final XYIntervalSeries hold = new XYIntervalSeries("hold (traffic queued)");
    private final XYIntervalSeries pause = new XYIntervalSeries("pause (transient snapshot)");
    private final XYIntervalSeries copy = new XYIntervalSeries("full memory copy");
    private final XYSeries stops = new XYSeries("STOP", false, true);
    private final XYSeries resumes = new XYSeries("RESUME", false, true);
    private final XYIntervalSeriesCollection bars = new XYIntervalSeriesCollection();
    private final XYSeriesCollection marks = new XYSeriesCollection();
    private final SymbolAxis rowAxis = new SymbolAxis(null, new String[0]);
    private final JFreeChart chart;
    private final Node node;

    TimelineChart() {
        bars.addSeries(hold);
        bars.addSeries(pause);
        bars.addSeries(copy);
        marks.addSeries(stops);
        marks.addSeries(resumes);

        XYBarRenderer barRenderer = new XYBarRenderer();
        barRenderer.setUseYInterval(true);
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setSeriesPaint(0, Palette.HOLD);
        barRenderer.setSeriesPaint(1, Palette.PAUSE);
        barRenderer.setSeriesPaint(2, Palette.COPY);

        XYLineAndShapeRenderer markRenderer = new XYLineAndShapeRenderer(false, true);
        markRenderer.setSeriesPaint(0, Palette.STOP);
        markRenderer.setSeriesShape(0, triangle(true));
        markRenderer.setSeriesPaint(1, Palette.RESUME);
        markRenderer.setSeriesShape(1, triangle(false));

        rowAxis.setInverted(true);
        rowAxis.setGridBandsVisible(false);
        Charts.style(rowAxis);
        NumberAxis time = new NumberAxis("ms from the first event");
        time.setAutoRangeIncludesZero(false);
        Charts.style(time);

        XYPlot plot = new XYPlot(bars, rowAxis, time, barRenderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDataset(1, marks);
        plot.setRenderer(1, markRenderer);
        plot.setRangeGridlinePaint(Palette.GRID);
        plot.setDomainGridlinesVisible(false);
        chart = Charts.chart(plot);
        node = Charts.frame("Timeline per VM", null, Charts.viewer(chart, "timelineChart"), Charts.legend(
                Charts.legendItem("hold", "hold (traffic queued)"), Charts.legendItem("pause", "pause"),
                Charts.legendItem("copy", "full memory copy"), Charts.legendItem("stop", "STOP"), Charts.legendItem("resume", "RESUME")));
    }

    Node node() {
        return node;
    }

    XYIntervalSeriesCollection bars() {
        return bars;
    }

    XYSeriesCollection marks() {
        return marks;
    }

    /** Replaces every bar and mark; one redraw. */
    void show(List<String> rowNames, List<TimelineSegment> segments, List<TimelineMarker> markers) {
        Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < rowNames.size(); i++) {
            rowOf.put(rowNames.get(i), i);
        }
        Charts.batch(chart, List.of(hold::setNotify, pause::setNotify, copy::setNotify, stops::setNotify, resumes::setNotify), () -> {
            Charts.rows(rowAxis, rowNames, "VMs");
            hold.clear();
            pause.clear();
            copy.clear();
            stops.clear();
            resumes.clear();
            for (TimelineSegment s : segments) {
                Integer row = rowOf.get(VmTrack.name(s.host(), s.vm()));
                if (row != null) {
                    bar(s, row);
                }
            }
            // Below about 8 px a row, the marks would only smear over the bars.
            for (TimelineMarker m : rowNames.size() <= Charts.MAX_LABELLED_ROWS ? markers : List.<TimelineMarker>of()) {
                Integer row = rowOf.get(VmTrack.name(m.host(), m.vm()));
                if (row != null) {
                    (m.kind() == EventKind.STOP ? stops : resumes).add((double) row, m.atMs());
                }
            }
        });
    }

    private void bar(TimelineSegment s, int row) {
        // Bands top down (the row axis is inverted): hold, pause, copy.
        int band = switch (s.kind()) {
            case HOLD -> -1;
            case PAUSE -> 0;
            case COPY -> 1;
        };
        double middle = row + band * BAND;
        XYIntervalSeries series = switch (s.kind()) {
            case HOLD -> hold;
            case PAUSE -> pause;
            case COPY -> copy;
        };
        series.add(middle, middle - BAND / 2, middle + BAND / 2, (s.fromMs() + s.toMs()) / 2, s.fromMs(), s.toMs());
    }

    /** A small triangle pointing down (STOP: the guest halts) or up (RESUME). */
    private static Path2D triangle(boolean down) {
        double tip = down ? 5 : -5;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(-5, -tip);
        p.lineTo(5, -tip);
        p.lineTo(0, tip);
        p.closePath();
        return p;
    }
}
