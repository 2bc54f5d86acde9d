package io.hotsnap.app.dashboard;

import io.hotsnap.protocol.EventKind;
import java.awt.geom.Ellipse2D;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The TCP flows between the VMs on the timeline's axis: one row per flow with its longest stall as
 * a bar and each retransmission as a dot, over a faint band where the VMs were paused. The capture
 * gives no throughput over time; the orphan count (the consistency check) is in the subtitle.
 */
final class TcpChart {

    private final XYIntervalSeries stalls = new XYIntervalSeries("longest stall");
    private final XYSeries retransmits = new XYSeries("retransmission", false, true);
    private final XYIntervalSeriesCollection stallSet = new XYIntervalSeriesCollection();
    private final XYSeriesCollection retransmitSet = new XYSeriesCollection();
    private final SymbolAxis flowAxis = new SymbolAxis(null, new String[0]);
    private final XYPlot plot;
    private final JFreeChart chart;
    private final Label subtitle = new Label();
    private final Node node;
    private Shown shown;

    private record Shown(List<TcpFlowView> flows, double firstStopMs, double lastResumeMs, Integer orphans, String note) {
    }

    TcpChart() {
        stallSet.addSeries(stalls);
        retransmitSet.addSeries(retransmits);

        XYBarRenderer stallRenderer = new XYBarRenderer();
        stallRenderer.setUseYInterval(true);
        stallRenderer.setBarPainter(new StandardXYBarPainter());
        stallRenderer.setShadowVisible(false);
        stallRenderer.setSeriesPaint(0, Palette.STALL);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setSeriesPaint(0, Palette.RETRANSMIT);
        dots.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));

        flowAxis.setInverted(true);
        flowAxis.setGridBandsVisible(false);
        Charts.style(flowAxis);
        NumberAxis time = new NumberAxis("ms (as the timeline)");
        time.setAutoRangeIncludesZero(false);
        Charts.style(time);

        plot = new XYPlot(stallSet, flowAxis, time, stallRenderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDataset(1, retransmitSet);
        plot.setRenderer(1, dots);
        plot.setRangeGridlinePaint(Palette.GRID);
        plot.setDomainGridlinesVisible(false);
        chart = Charts.chart(plot);
        node = Charts.frame("TCP between the VMs", subtitle, Charts.viewer(chart, "tcpChart"), Charts.legend(
                Charts.legendItem("stall", "longest stall"), Charts.legendItem("retransmit", "retransmission"),
                Charts.legendItem("pauses", "the VMs' pauses")));
    }

    Node node() {
        return node;
    }

    XYIntervalSeriesCollection stalls() {
        return stallSet;
    }

    XYSeriesCollection retransmits() {
        return retransmitSet;
    }

    /**
     * Redraws only when something it shows changed.
     *
     * @param markers the timeline's STOP and RESUME marks: the band spans first STOP to last RESUME
     * @param orphans the orphan packet count, or null when not measured
     * @param note    why there are no figures, or ""
     */
    void show(List<TcpFlowView> flows, List<TimelineMarker> markers, Integer orphans, String note) {
        Shown next = new Shown(List.copyOf(flows), pauseWindow(markers, EventKind.STOP), pauseWindow(markers, EventKind.RESUME), orphans, note);
        if (next.equals(shown)) {
            return;
        }
        shown = next;
        String orphanText = orphans == null ? "orphan packets: not measured"
                : "orphan packets: " + orphans + (orphans == 0 ? " (consistent cut)" : " — the cut is NOT consistent");
        Charts.batch(chart, List.of(stalls::setNotify, retransmits::setNotify), () -> {
            Charts.rows(flowAxis, flows.stream().map(f -> f.flow() + "  " + Units.bytes(f.bytes())).toList(), "flows");
            stalls.clear();
            retransmits.clear();
            for (int i = 0; i < flows.size(); i++) {
                TcpFlowView f = flows.get(i);
                stalls.add(i, i - 0.3, i + 0.3, (f.stallFromMs() + f.stallToMs()) / 2, f.stallFromMs(), f.stallToMs());
                for (double at : f.retransmitAtMs()) {
                    retransmits.add(i, at);
                }
            }
            plot.clearRangeMarkers();
            if (!Double.isNaN(next.firstStopMs()) && !Double.isNaN(next.lastResumeMs())) {
                plot.addRangeMarker(new IntervalMarker(next.firstStopMs(), next.lastResumeMs(), Palette.PAUSE_WINDOW), Layer.BACKGROUND);
            }
        });
        subtitle.setText(note.isEmpty() ? orphanText : orphanText + " · " + note);
    }

    /** The earliest STOP or the latest RESUME, ms; NaN without one. */
    private static double pauseWindow(List<TimelineMarker> markers, EventKind kind) {
        var times = markers.stream().filter(m -> m.kind() == kind).mapToDouble(TimelineMarker::atMs);
        return (kind == EventKind.STOP ? times.min() : times.max()).orElse(Double.NaN);
    }
}
