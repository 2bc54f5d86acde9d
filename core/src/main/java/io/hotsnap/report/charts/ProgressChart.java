package io.hotsnap.report.charts;

import java.awt.BasicStroke;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Each VM's full copy as a line, MiB of guest memory done over ms from the first event (the
 * timeline's axis). MiB rather than a share: samples come 5 a second and the last may come well
 * before the copy ends, so a share of the total would mislead.
 */
public final class ProgressChart {

    /** One VM's samples, in time order. */
    public record Line(String name, List<Point> points) {
        public Line {
            points = List.copyOf(points);
        }
    }

    public record Point(double atMs, double mib) {
    }

    private final XYSeriesCollection lines = new XYSeriesCollection();
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    private final JFreeChart chart;

    public ProgressChart() {
        NumberAxis time = new NumberAxis("ms from the first event");
        time.setAutoRangeIncludesZero(false);
        ChartLook.style(time);
        NumberAxis mib = new NumberAxis("MiB done");
        ChartLook.style(mib);
        XYPlot plot = new XYPlot(lines, time, mib, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setRangeGridlinePaint(Palette.GRID);
        plot.setDomainGridlinesVisible(false);
        chart = ChartLook.chart(plot);
    }

    public JFreeChart chart() {
        return chart;
    }

    public XYSeriesCollection lines() {
        return lines;
    }

    /** Replaces every line; line i in {@link Palette#series(int)}. */
    public void show(List<Line> vms) {
        chart.setNotify(false);
        try {
            lines.removeAllSeries();
            for (int i = 0; i < vms.size(); i++) {
                XYSeries s = new XYSeries(vms.get(i).name(), false, true);
                vms.get(i).points().forEach(p -> s.add(p.atMs(), p.mib()));
                lines.addSeries(s);
                renderer.setSeriesPaint(i, Palette.series(i));
                renderer.setSeriesStroke(i, new BasicStroke(2f));
            }
        } finally {
            chart.setNotify(true);
        }
    }
}
