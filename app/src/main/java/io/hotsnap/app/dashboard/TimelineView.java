package io.hotsnap.app.dashboard;

import io.hotsnap.report.charts.TimelineChart;
import java.util.List;
import javafx.scene.Node;

/** The timeline chart (core's definition, as the reports draw it) framed for the dashboard, fed from the VMs' tracks. */
final class TimelineView {

    private final TimelineChart chart = new TimelineChart();
    private final Node node;

    TimelineView() {
        node = Charts.frame("Timeline per VM", null, Charts.viewer(chart.chart(), "timelineChart"), Charts.legend(
                Charts.legendItem("hold", "hold (traffic queued)"), Charts.legendItem("pause", "pause"),
                Charts.legendItem("copy", "full memory copy"), Charts.legendItem("stop", "STOP"), Charts.legendItem("resume", "RESUME")));
    }

    Node node() {
        return node;
    }

    TimelineChart chart() {
        return chart;
    }

    /** Replaces every bar and mark; one redraw. */
    void show(List<String> rowNames, List<TimelineSegment> segments, List<TimelineMarker> markers) {
        chart.show(rowNames, segments.stream().map(s -> new TimelineChart.Bar(VmTrack.name(s.host(), s.vm()), phase(s.kind()), s.fromMs(),
                s.toMs())).toList(), markers.stream().map(m -> new TimelineChart.Mark(VmTrack.name(m.host(), m.vm()), m.kind(), m.atMs())).toList());
    }

    private static TimelineChart.Phase phase(TimelineSegment.Kind kind) {
        return switch (kind) {
            case HOLD -> TimelineChart.Phase.HOLD;
            case PAUSE -> TimelineChart.Phase.PAUSE;
            case COPY -> TimelineChart.Phase.COPY;
        };
    }
}
