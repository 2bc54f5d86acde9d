package io.hotsnap.report;

import io.hotsnap.cluster.ClusterEvent;
import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The report's charts as {@link Drawing}s, the dashboard's charts drawn from a record: a timeline
 * per VM, downtime bars, full-copy progress and the TCP flows' stalls. Every chart's layout is
 * defined here once; the SVG and PDF writers only paint it.
 */
final class Charts {

    /** Okabe-Ito, as the dashboard (app's Palette): told apart with any colour vision. */
    static final String HOLD = "#56B4E9";
    static final String PAUSE = "#D55E00";
    static final String COPY = "#009E73";
    static final String STALL = "#E69F00";
    static final String RETRANSMIT = "#CC79A7";
    /** A pause behind the TCP flows: the pause's hue, faint (no transparency needed). */
    static final String PAUSE_WINDOW = "#F6DCCC";
    static final String AXIS = "#555555";
    static final String GRID = "#D0D7E1";
    /** One line per VM in the progress chart, in the VMs' order. */
    static final List<String> SERIES = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442");

    /** Where the plot starts (names to its left) and how wide it is, px. */
    static final int LEFT = 120;
    static final int PLOT = 600;
    static final int WIDTH = LEFT + PLOT + 90;
    static final int ROW = 28;
    private static final int TOP = 10;
    private static final int AXIS_ROOM = 30;
    private static final int PROGRESS_HEIGHT = 160;
    private static final double MIB = 1 << 20;
    /** The widest character of the 11 px chart font (DejaVu Sans digits and most letters fit), px. */
    private static final double NAME_CHAR = 7;

    private Charts() {
    }

    /** One bar of a bar chart; {@code max} draws a tick past the bar (a median's maximum), or null. */
    record Bar(String name, double value, Double max) {
    }

    /** The x of time {@code micros} on a timeline from {@code originMicros} spanning {@code spanMs}. */
    static double x(long micros, long originMicros, double spanMs) {
        return LEFT + (micros - originMicros) / 1000.0 * PLOT / spanMs;
    }

    static Drawing timeline(VmPhases.Chart chart) {
        long origin = chart.originMicros();
        double spanMs = Math.max(1, (timelineEnd(chart) - origin) / 1000.0);
        int height = TOP + chart.vms().size() * ROW + AXIS_ROOM;
        Drawing.Builder d = new Drawing.Builder(WIDTH, height, "timeline per VM: hold, pause and full copy, ms from the first event");
        for (int i = 0; i < chart.vms().size(); i++) {
            VmPhases vm = chart.vms().get(i);
            double y = TOP + i * ROW;
            d.text(LEFT - 8, y + 17, vm.vm(), Drawing.Anchor.END);
            bar(d, vm.copy(), origin, spanMs, y + 8, 12, COPY, "copy", vm.vm() + " full copy");
            bar(d, vm.hold(), origin, spanMs, y + 2, 6, HOLD, "hold", vm.vm() + " hold");
            bar(d, vm.pause(), origin, spanMs, y + 6, 16, PAUSE, "pause", vm.vm() + " pause");
        }
        axis(d, spanMs, TOP + chart.vms().size() * ROW, " ms");
        return d.build();
    }

    private static long timelineEnd(VmPhases.Chart chart) {
        return chart.vms().stream().flatMap(v -> Stream.of(v.hold(), v.pause(), v.copy())).filter(Objects::nonNull)
                .mapToLong(Span::toMicros).max().orElse(chart.originMicros());
    }

    /**
     * Horizontal bars, one per row, scaled to the largest value (or maximum), each labelled with
     * its figure(s) in {@code unit}.
     */
    static Drawing bars(List<Bar> bars, String fill, String kind, String unit, String label) {
        double top = bars.stream().mapToDouble(b -> b.max() == null ? b.value() : Math.max(b.value(), b.max())).max().orElse(0);
        // Long names (snapshot IDs) widen the name column; the plot gives way, the chart keeps its width.
        double left = Math.max(LEFT, 16 + NAME_CHAR * bars.stream().mapToInt(b -> b.name().length()).max().orElse(0));
        double plot = LEFT + PLOT - left;
        Drawing.Builder d = new Drawing.Builder(WIDTH, TOP + bars.size() * ROW, label);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = TOP + i * ROW;
            double w = top > 0 ? b.value() / top * plot : 0;
            String figure = b.max() == null ? fmt(b.value(), unit) : fmt(b.value(), "") + " / " + fmt(b.max(), unit);
            d.text(left - 8, y + 15, b.name(), Drawing.Anchor.END);
            d.rect(left, y + 2, Math.max(1, w), 18, fill, kind, b.name() + " " + kind + " " + figure);
            double end = left + w;
            if (b.max() != null && top > 0) {
                end = left + b.max() / top * plot;
                d.line(left + w, y + 11, end, y + 11, AXIS).line(end, y + 4, end, y + 18, AXIS);
            }
            d.text(end + 6, y + 15, figure, Drawing.Anchor.START);
        }
        return d.build();
    }

    /**
     * Each VM's full copy, MiB of guest memory done as QEMU's progress reports it, over the
     * timeline's time axis (ms from the first event); null when the record holds no progress
     * samples. MiB, as the dashboard shows them: the record keeps 5 samples a second, and the last
     * one may come well before the copy ends, so a share of the total would mislead.
     */
    static Drawing progress(VmPhases.Chart chart, List<ClusterEvent> events) {
        long origin = chart.originMicros();
        List<List<ClusterEvent>> samples = chart.vms().stream().map(vm -> events.stream().filter(e -> e.kind() == EventKind.PROGRESS
                && vm.vm().equals(e.vm()) && e.data() != null && e.data().path("memoryTotal").asLong() > 0).toList()).toList();
        if (samples.stream().allMatch(List::isEmpty)) {
            return null;
        }
        long end = Math.max(timelineEnd(chart), samples.stream().flatMap(List::stream).mapToLong(ClusterEvent::atMicros).max().orElse(0));
        double spanMs = Math.max(1, (end - origin) / 1000.0);
        double mostMiB = samples.stream().flatMap(List::stream).mapToDouble(e -> e.data().path("memoryDone").asDouble() / MIB).max().orElse(0);
        double step = niceStep(Math.max(1, mostMiB) / 3);
        double topMiB = step * Math.ceil(Math.max(1, mostMiB) / step);
        Drawing.Builder d = new Drawing.Builder(WIDTH, TOP + PROGRESS_HEIGHT + AXIS_ROOM, "full copy progress per VM, MiB of guest memory done");
        for (double mib = 0; mib <= topMiB + 1e-9; mib += step) {
            double y = TOP + PROGRESS_HEIGHT * (1 - mib / topMiB);
            d.line(LEFT, y, LEFT + PLOT, y, GRID).text(LEFT - 8, y + 4, String.format(Locale.ROOT, "%.0f MiB", mib), Drawing.Anchor.END);
        }
        for (int v = 0; v < chart.vms().size(); v++) {
            List<ClusterEvent> vmSamples = samples.get(v);
            if (vmSamples.isEmpty()) {
                continue;
            }
            double[] xy = new double[2 * vmSamples.size()];
            for (int i = 0; i < vmSamples.size(); i++) {
                ClusterEvent e = vmSamples.get(i);
                xy[2 * i] = x(e.atMicros(), origin, spanMs);
                xy[2 * i + 1] = TOP + PROGRESS_HEIGHT * (1 - e.data().path("memoryDone").asDouble() / MIB / topMiB);
            }
            d.polyline(xy, series(v), "progress", chart.vms().get(v).vm() + " full copy progress");
        }
        axis(d, spanMs, TOP + PROGRESS_HEIGHT, " ms");
        return d.build();
    }

    /**
     * One row per TCP flow on a ms axis from the cut's first snapshot point: its longest stall as a
     * bar, each retransmission as a mark, over faint bands where the VMs were paused.
     */
    static Drawing tcp(List<TcpReport.Flow> flows, VmPhases.Chart chart) {
        List<Span> pauses = chart.vms().stream().map(VmPhases::pause).filter(Objects::nonNull).toList();
        long firstStop = pauses.stream().mapToLong(Span::fromMicros).min().orElse(0);
        double endMs = flows.stream().flatMap(f -> Stream.concat(Stream.of(f.stallFromMs() + f.stallMs()), f.retransmitAtMs().stream()))
                .mapToDouble(Double::doubleValue).max().orElse(0);
        for (Span p : pauses) {
            endMs = Math.max(endMs, (p.toMicros() - firstStop) / 1000.0);
        }
        double spanMs = Math.max(1, endMs * 1.05);
        int plotHeight = flows.size() * ROW;
        Drawing.Builder d = new Drawing.Builder(WIDTH, TOP + plotHeight + AXIS_ROOM,
                "TCP flows: longest stall and retransmissions, ms from the first snapshot point");
        for (Span p : pauses) {
            double from = x(p.fromMicros(), firstStop, spanMs);
            d.rect(from, TOP, Math.max(1, x(p.toMicros(), firstStop, spanMs) - from), plotHeight, PAUSE_WINDOW, "paused", "VMs paused");
        }
        for (int i = 0; i < flows.size(); i++) {
            TcpReport.Flow f = flows.get(i);
            double y = TOP + i * ROW;
            double from = LEFT + f.stallFromMs() * PLOT / spanMs;
            d.text(LEFT - 8, y + 17, f.from() + " → " + f.to(), Drawing.Anchor.END);
            d.rect(from, y + 6, Math.max(1, f.stallMs() * PLOT / spanMs), 14, STALL, "stall",
                    f.from() + " → " + f.to() + " longest stall " + fmt(f.stallMs(), " ms"));
            for (double at : f.retransmitAtMs()) {
                d.rect(LEFT + at * PLOT / spanMs - 3, y + 10, 6, 6, RETRANSMIT, "retransmit", "retransmission at " + fmt(at, " ms"));
            }
        }
        axis(d, spanMs, TOP + plotHeight, " ms");
        return d.build();
    }

    static String series(int index) {
        return SERIES.get(index % SERIES.size());
    }

    /** A phase's bar, at least 1 px wide so that a pause of a few ms on a long copy still shows. */
    private static void bar(Drawing.Builder d, Span span, long origin, double spanMs, double y, double h, String fill, String kind, String title) {
        if (span == null) {
            return;
        }
        double from = x(span.fromMicros(), origin, spanMs);
        double w = Math.max(1, x(span.toMicros(), origin, spanMs) - from);
        d.rect(from, y, w, h, fill, kind, title + " " + fmt((span.toMicros() - span.fromMicros()) / 1000.0, " ms"));
    }

    private static void axis(Drawing.Builder d, double span, double y, String unit) {
        d.line(LEFT, y, LEFT + PLOT, y, AXIS);
        double step = niceStep(span / 5);
        for (double t = 0; t <= span + 1e-9; t += step) {
            double x = LEFT + t * PLOT / span;
            d.line(x, y, x, y + 4, AXIS);
            d.text(x, y + 16, String.format(Locale.ROOT, "%.0f%s", t, unit), Drawing.Anchor.MIDDLE);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * power >= rough) {
                return m * power;
            }
        }
        return 10 * power;
    }

    static String fmt(double value, String unit) {
        return String.format(Locale.ROOT, "%.1f%s", value, unit);
    }
}
