package io.hotsnap.report.charts;

import io.hotsnap.protocol.EventKind;
import java.awt.geom.Path2D;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The Gantt-style timeline of a cut: one row per VM, time across in ms from the first event. Each
 * row has three bands, top to bottom: hold, pause, full copy; so a few-ms pause next to a
 * seconds-long copy stays visible by its place and its STOP/RESUME marks.
 */
public final class TimelineChart {

    /** What a VM went through during a bar. */
    public enum Phase {
        /** HOLD_ON → HOLD_OFF: traffic into the VM queued. */
        HOLD,
        /** STOP → RESUME: the guest paused (the transient snapshot). */
        PAUSE,
        /** The background memory copy. */
        COPY
    }

    /** One bar on the row named {@code row}, ms from the first event. */
    public record Bar(String row, Phase phase, double fromMs, double toMs) {
    }

    /** A STOP (the VM's snapshot point) or RESUME on the row named {@code row}. */
    public record Mark(String row, EventKind kind, double atMs) {
    }

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

    public TimelineChart() {
        bars.addSeries(hold);
        bars.addSeries(pause);
        bars.addSeries(copy);
        marks.addSeries(stops);
        marks.addSeries(resumes);

        XYPlot plot = ChartLook.rowsOverTime(rowAxis, "ms from the first event", bars, List.of(Palette.HOLD, Palette.PAUSE, Palette.COPY),
                marks, List.of(Palette.STOP, Palette.RESUME), List.of(triangle(true), triangle(false)));
        chart = ChartLook.chart(plot);
    }

    public JFreeChart chart() {
        return chart;
    }

    /** Hold, pause and copy series, in that order: x the row's band, y the time. */
    public XYIntervalSeriesCollection bars() {
        return bars;
    }

    /** STOP and RESUME series, in that order. */
    public XYSeriesCollection marks() {
        return marks;
    }

    /** Replaces every bar and mark, rows top down in the order given; one redraw. */
    public void show(List<String> rowNames, List<Bar> segments, List<Mark> markers) {
        Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < rowNames.size(); i++) {
            rowOf.put(rowNames.get(i), i);
        }
        ChartLook.batch(chart, List.of(hold::setNotify, pause::setNotify, copy::setNotify, stops::setNotify, resumes::setNotify), () -> {
            ChartLook.rows(rowAxis, rowNames, "VMs");
            hold.clear();
            pause.clear();
            copy.clear();
            stops.clear();
            resumes.clear();
            for (Bar b : segments) {
                Integer row = rowOf.get(b.row());
                if (row != null) {
                    bar(b, row);
                }
            }
            // Below about 8 px a row, the marks would only smear over the bars.
            for (Mark m : rowNames.size() <= ChartLook.MAX_LABELLED_ROWS ? markers : List.<Mark>of()) {
                Integer row = rowOf.get(m.row());
                if (row != null) {
                    (m.kind() == EventKind.STOP ? stops : resumes).add((double) row, m.atMs());
                }
            }
        });
    }

    private void bar(Bar b, int row) {
        // Bands top down (the row axis is inverted): hold, pause, copy.
        int band = switch (b.phase()) {
            case HOLD -> -1;
            case PAUSE -> 0;
            case COPY -> 1;
        };
        double middle = row + band * BAND;
        XYIntervalSeries series = switch (b.phase()) {
            case HOLD -> hold;
            case PAUSE -> pause;
            case COPY -> copy;
        };
        series.add(middle, middle - BAND / 2, middle + BAND / 2, (b.fromMs() + b.toMs()) / 2, b.fromMs(), b.toMs());
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
