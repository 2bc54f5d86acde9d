package io.hotsnap.app.dashboard;

import io.hotsnap.protocol.EventKind;
import io.hotsnap.report.charts.TcpChart;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;

/**
 * The TCP flows (core's chart definition, as the reports draw it) framed for the dashboard, on the
 * timeline's axis, behind them one band from the first STOP to the last RESUME; the orphan count
 * (the consistency check) in the subtitle.
 */
final class TcpView {

    private final TcpChart chart = new TcpChart("ms (as the timeline)");
    private final Label subtitle = new Label();
    private final Node node;
    private Shown shown;

    private record Shown(List<TcpFlowView> flows, double firstStopMs, double lastResumeMs, Integer orphans, String note) {
    }

    TcpView() {
        node = Charts.frame("TCP between the VMs", subtitle, Charts.viewer(chart.chart(), "tcpChart"), Charts.legend(
                Charts.legendItem("stall", "longest stall"), Charts.legendItem("retransmit", "retransmission"),
                Charts.legendItem("pauses", "the VMs' pauses")));
    }

    Node node() {
        return node;
    }

    TcpChart chart() {
        return chart;
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
        boolean paused = !Double.isNaN(next.firstStopMs()) && !Double.isNaN(next.lastResumeMs());
        chart.show(flows.stream().map(f -> new TcpChart.Flow(f.flow() + "  " + Units.bytes(f.bytes()), f.stallFromMs(), f.stallToMs(),
                f.retransmitAtMs())).toList(), paused ? List.of(new TcpChart.Pause(next.firstStopMs(), next.lastResumeMs())) : List.of());
        subtitle.setText(note.isEmpty() ? orphanText : orphanText + " · " + note);
    }

    /** The earliest STOP or the latest RESUME, ms; NaN without one. */
    private static double pauseWindow(List<TimelineMarker> markers, EventKind kind) {
        var times = markers.stream().filter(m -> m.kind() == kind).mapToDouble(TimelineMarker::atMs);
        return (kind == EventKind.STOP ? times.min() : times.max()).orElse(Double.NaN);
    }
}
