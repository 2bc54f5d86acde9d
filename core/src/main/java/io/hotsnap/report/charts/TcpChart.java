package io.hotsnap.report.charts;

import java.awt.geom.Ellipse2D;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The TCP flows between the VMs: one row per flow with its longest stall as a bar and each
 * retransmission as a dot, over faint bands where the VMs were paused. The capture gives no
 * throughput over time, only these.
 */
public final class TcpChart {

    /** One flow's row, times in ms on the chart's axis. */
    public record Flow(String name, double stallFromMs, double stallToMs, List<Double> retransmitAtMs) {
        public Flow {
            retransmitAtMs = List.copyOf(retransmitAtMs);
        }
    }

    /** A stretch where VMs were paused, ms on the chart's axis. */
    public record Pause(double fromMs, double toMs) {
    }

    private final XYIntervalSeries stalls = new XYIntervalSeries("longest stall");
    private final XYSeries retransmits = new XYSeries("retransmission", false, true);
    private final XYIntervalSeriesCollection stallSet = new XYIntervalSeriesCollection();
    private final XYSeriesCollection retransmitSet = new XYSeriesCollection();
    private final SymbolAxis flowAxis = new SymbolAxis(null, new String[0]);
    private final XYPlot plot;
    private final JFreeChart chart;

    /** @param timeAxis what the time axis counts from, in words */
    public TcpChart(String timeAxis) {
        stallSet.addSeries(stalls);
        retransmitSet.addSeries(retransmits);

        plot = ChartLook.rowsOverTime(flowAxis, timeAxis, stallSet, List.of(Palette.STALL), retransmitSet, List.of(Palette.RETRANSMIT),
                List.of(new Ellipse2D.Double(-4, -4, 8, 8)));
        chart = ChartLook.chart(plot);
    }

    public JFreeChart chart() {
        return chart;
    }

    public XYIntervalSeriesCollection stalls() {
        return stallSet;
    }

    public XYSeriesCollection retransmits() {
        return retransmitSet;
    }

    /** Replaces every row and pause band, rows top down in the order given; one redraw. */
    public void show(List<Flow> flows, List<Pause> pauses) {
        ChartLook.batch(chart, List.of(stalls::setNotify, retransmits::setNotify), () -> {
            ChartLook.rows(flowAxis, flows.stream().map(Flow::name).toList(), "flows");
            stalls.clear();
            retransmits.clear();
            for (int i = 0; i < flows.size(); i++) {
                Flow f = flows.get(i);
                stalls.add(i, i - 0.3, i + 0.3, (f.stallFromMs() + f.stallToMs()) / 2, f.stallFromMs(), f.stallToMs());
                for (double at : f.retransmitAtMs()) {
                    retransmits.add(i, at);
                }
            }
            plot.clearRangeMarkers();
            for (Pause p : pauses) {
                plot.addRangeMarker(new IntervalMarker(p.fromMs(), p.toMs(), Palette.PAUSE_WINDOW), Layer.BACKGROUND);
            }
        });
    }
}
