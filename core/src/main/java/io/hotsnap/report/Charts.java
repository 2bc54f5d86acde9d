package io.hotsnap.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/** The report's charts as inline SVG: a timeline per VM and the downtime bars. */
final class Charts {

    /** Okabe-Ito: told apart with any colour vision. */
    static final String HOLD = "#56B4E9";
    static final String PAUSE = "#D55E00";
    static final String COPY = "#009E73";
    private static final String AXIS = "#555555";

    /** Where the plot starts (VM names to its left) and how wide it is, px. */
    static final int LEFT = 120;
    static final int PLOT = 600;
    static final int ROW = 28;
    private static final int TOP = 10;
    private static final int AXIS_ROOM = 30;

    private Charts() {
    }

    /** The x of time {@code micros} on a timeline from {@code originMicros} spanning {@code spanMs}. */
    static double x(long micros, long originMicros, double spanMs) {
        return LEFT + (micros - originMicros) / 1000.0 * PLOT / spanMs;
    }

    static String timeline(VmPhases.Chart chart) {
        long origin = chart.originMicros();
        long end = chart.vms().stream().flatMap(v -> Stream.of(v.hold(), v.pause(), v.copy())).filter(Objects::nonNull)
                .mapToLong(Span::toMicros).max().orElse(origin);
        double spanMs = Math.max(1, (end - origin) / 1000.0);
        int height = TOP + chart.vms().size() * ROW + AXIS_ROOM;
        Svg svg = new Svg(LEFT + PLOT + 20, height, "timeline per VM: hold, pause and full copy, ms from the first event");
        for (int i = 0; i < chart.vms().size(); i++) {
            VmPhases vm = chart.vms().get(i);
            double y = TOP + i * ROW;
            svg.text(LEFT - 8, y + 17, vm.vm(), "end");
            bar(svg, vm.copy(), origin, spanMs, y + 8, 12, COPY, "copy", vm.vm() + " full copy");
            bar(svg, vm.hold(), origin, spanMs, y + 2, 6, HOLD, "hold", vm.vm() + " hold");
            bar(svg, vm.pause(), origin, spanMs, y + 6, 16, PAUSE, "pause", vm.vm() + " pause");
        }
        axis(svg, spanMs, TOP + chart.vms().size() * ROW);
        return svg.toString();
    }

    static String downtimeBars(List<VmRow> rows) {
        double max = rows.stream().mapToDouble(VmRow::downtimeMs).max().orElse(0);
        Svg svg = new Svg(LEFT + PLOT + 90, TOP + rows.size() * ROW, "downtime per VM, ms");
        for (int i = 0; i < rows.size(); i++) {
            VmRow r = rows.get(i);
            double y = TOP + i * ROW;
            double w = max > 0 ? r.downtimeMs() / max * PLOT : 0;
            svg.text(LEFT - 8, y + 15, r.name(), "end");
            svg.rect(LEFT, y + 2, Math.max(1, w), 18, PAUSE, "downtime", r.name() + " downtime " + ms(r.downtimeMs()));
            svg.text(LEFT + w + 6, y + 15, ms(r.downtimeMs()), "start");
        }
        return svg.toString();
    }

    /** A phase's bar, at least 1 px wide so that a pause of a few ms on a long copy still shows. */
    private static void bar(Svg svg, Span span, long origin, double spanMs, double y, double h, String fill, String kind, String title) {
        if (span == null) {
            return;
        }
        double from = x(span.fromMicros(), origin, spanMs);
        double w = Math.max(1, x(span.toMicros(), origin, spanMs) - from);
        svg.rect(from, y, w, h, fill, kind, title + " " + ms((span.toMicros() - span.fromMicros()) / 1000.0));
    }

    private static void axis(Svg svg, double spanMs, double y) {
        svg.line(LEFT, y, LEFT + PLOT, y, AXIS);
        double step = niceStep(spanMs / 5);
        for (double t = 0; t <= spanMs + 1e-9; t += step) {
            double x = LEFT + t * PLOT / spanMs;
            svg.line(x, y, x, y + 4, AXIS);
            svg.text(x, y + 16, String.format(Locale.ROOT, "%.0f ms", t), "middle");
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

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
