package io.hotsnap.app.dashboard;

import io.hotsnap.report.charts.DowntimeChart;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;

/**
 * Each VM's downtime (core's chart definition, as the reports draw it) framed for the dashboard,
 * the snapshot-point skew in the subtitle.
 */
final class DowntimeView {

    /** No figures on the bars: the table beside the chart has them. */
    private final DowntimeChart chart = new DowntimeChart(false);
    private final Label subtitle = new Label();
    private final Node node;
    /** What is drawn now, so that a batch that changed no downtime costs no redraw. */
    private Shown shown;

    private record Shown(List<String> vms, List<Double> downtimesMs, double skewMs) {
    }

    DowntimeView() {
        node = Charts.frame("Downtime per VM", subtitle, Charts.viewer(chart.chart(), "downtimeChart"), null);
    }

    Node node() {
        return node;
    }

    DowntimeChart chart() {
        return chart;
    }

    void show(List<VmRow> rows, double skewMs) {
        Shown next = new Shown(rows.stream().map(r -> VmTrack.name(r.host(), r.vm())).toList(),
                rows.stream().map(r -> r.downtimeMsProperty().get()).toList(), skewMs);
        if (next.equals(shown)) {
            return;
        }
        shown = next;
        subtitle.setText(Double.isNaN(skewMs) ? "skew: no snapshot point yet" : "skew (max − min STOP): " + Units.fixed(skewMs, 3) + " ms");
        chart.show(rows.stream().map(r -> {
            double downtime = r.downtimeMsProperty().get();
            return new DowntimeChart.Bar(VmTrack.name(r.host(), r.vm()), Double.isNaN(downtime) ? null : downtime, null);
        }).toList());
    }
}
