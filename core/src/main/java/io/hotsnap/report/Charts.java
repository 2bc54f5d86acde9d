package io.hotsnap.report;

import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.report.charts.DowntimeChart;
import io.hotsnap.report.charts.Palette;
import io.hotsnap.report.charts.ProgressChart;
import io.hotsnap.report.charts.TcpChart;
import io.hotsnap.report.charts.TimelineChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A report's charts: the dashboard's chart definitions ({@code report.charts}) fed from a record
 * and sized for a page. The SVG and PDF writers only draw them.
 */
final class Charts {

    /** Colour keys, as the charts paint them. */
    static final String HOLD = Palette.hex(Palette.HOLD);
    static final String PAUSE = Palette.hex(Palette.PAUSE);
    static final String COPY = Palette.hex(Palette.COPY);
    static final String STOP = Palette.hex(Palette.STOP);
    static final String RESUME = Palette.hex(Palette.RESUME);
    static final String STALL = Palette.hex(Palette.STALL);
    static final String RETRANSMIT = Palette.hex(Palette.RETRANSMIT);
    static final String PAUSE_WINDOW = Palette.hex(Palette.PAUSE_WINDOW);
    static final String MAX = Palette.hex(Palette.MAX);

    /** px; a PDF page scales them to its text width. */
    static final int WIDTH = 720;
    /** Per row of a timeline (three bands), of a bar chart and of a flow, px. */
    private static final int TIMELINE_ROW = 36;
    private static final int ROW = 28;
    /** The time axis: tick labels and its label below the rows, px. */
    private static final int AXIS_ROOM = 50;
    private static final int PROGRESS_HEIGHT = 220;
    private static final double MIB = 1 << 20;

    private Charts() {
    }

    static Document.Chart timeline(VmPhases.Chart chart) {
        List<TimelineChart.Bar> bars = new ArrayList<>();
        List<TimelineChart.Mark> marks = new ArrayList<>();
        for (VmPhases vm : chart.vms()) {
            bar(bars, vm.vm(), TimelineChart.Phase.HOLD, vm.hold(), chart.originMicros());
            bar(bars, vm.vm(), TimelineChart.Phase.PAUSE, vm.pause(), chart.originMicros());
            bar(bars, vm.vm(), TimelineChart.Phase.COPY, vm.copy(), chart.originMicros());
            if (vm.pause() != null) {
                marks.add(new TimelineChart.Mark(vm.vm(), EventKind.STOP, ms(vm.pause().fromMicros() - chart.originMicros())));
                marks.add(new TimelineChart.Mark(vm.vm(), EventKind.RESUME, ms(vm.pause().toMicros() - chart.originMicros())));
            }
        }
        TimelineChart timeline = new TimelineChart();
        timeline.show(chart.vms().stream().map(VmPhases::vm).toList(), bars, marks);
        return new Document.Chart(timeline.chart(), WIDTH, chart.vms().size() * TIMELINE_ROW + AXIS_ROOM,
                "timeline per VM: hold, pause and full copy, ms from the first event");
    }

    private static void bar(List<TimelineChart.Bar> bars, String vm, TimelineChart.Phase phase, Span span, long origin) {
        if (span != null) {
            bars.add(new TimelineChart.Bar(vm, phase, ms(span.fromMicros() - origin), ms(span.toMicros() - origin)));
        }
    }

    /** Downtime bars, each labelled with its figures. */
    static Document.Chart downtime(List<DowntimeChart.Bar> bars, String label) {
        DowntimeChart chart = new DowntimeChart(true);
        chart.show(bars);
        return new Document.Chart(chart.chart(), WIDTH, bars.size() * ROW + AXIS_ROOM, label);
    }

    /**
     * Each VM's full copy, MiB of guest memory done as QEMU's progress reports it, on the
     * timeline's time axis; null when the record holds no progress samples.
     */
    static Document.Chart progress(VmPhases.Chart chart, List<ClusterEvent> events) {
        List<ProgressChart.Line> lines = chart.vms().stream().map(vm -> new ProgressChart.Line(vm.vm(), events.stream()
                .filter(e -> e.kind() == EventKind.PROGRESS && vm.vm().equals(e.vm()) && e.data() != null
                        && e.data().path("memoryTotal").asLong() > 0)
                .map(e -> new ProgressChart.Point(ms(e.atMicros() - chart.originMicros()), e.data().path("memoryDone").asDouble() / MIB))
                .toList())).toList();
        if (lines.stream().allMatch(l -> l.points().isEmpty())) {
            return null;
        }
        ProgressChart progress = new ProgressChart();
        progress.show(lines);
        return new Document.Chart(progress.chart(), WIDTH, PROGRESS_HEIGHT, "full copy progress per VM, MiB of guest memory done");
    }

    /**
     * One row per TCP flow on a ms axis from the cut's first snapshot point (as the flows table):
     * its longest stall, its retransmissions, over faint bands where the VMs were paused.
     */
    static Document.Chart tcp(List<TcpReport.Flow> flows, VmPhases.Chart chart) {
        List<Span> pauses = chart.vms().stream().map(VmPhases::pause).filter(Objects::nonNull).toList();
        long firstStop = pauses.stream().mapToLong(Span::fromMicros).min().orElse(0);
        TcpChart tcp = new TcpChart("ms from the first snapshot point");
        tcp.show(flows.stream().map(f -> new TcpChart.Flow(f.from() + " → " + f.to(), f.stallFromMs(), f.stallFromMs() + f.stallMs(),
                f.retransmitAtMs())).toList(),
                pauses.stream().map(p -> new TcpChart.Pause(ms(p.fromMicros() - firstStop), ms(p.toMicros() - firstStop))).toList());
        return new Document.Chart(tcp.chart(), WIDTH, flows.size() * ROW + AXIS_ROOM,
                "TCP flows: longest stall and retransmissions, ms from the first snapshot point");
    }

    static String series(int index) {
        return Palette.hex(Palette.series(index));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
