package io.hotsnap.report;

import io.hotsnap.report.charts.DowntimeChart;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Several snapshots side by side: one row of headline figures each, and their downtimes as bars. */
final class ComparisonDocument {

    static final List<String> HEADER = List.of("snapshot", "taken (UTC)", "mode", "VMs", "hosts", "downtime median", "max", "skew", "hold",
            "TCP stall", "orphans", "commit", "MiB");
    private static final DateTimeFormatter TAKEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private ComparisonDocument() {
    }

    static Document of(List<SnapshotFigures> snapshots) {
        Document.Builder d = new Document.Builder("Comparison of " + snapshots.size() + " snapshots");
        d.heading("Snapshots").table(HEADER, snapshots.stream().map(s -> List.of(s.id(),
                TAKEN.format(Instant.EPOCH.plus(s.createdAt(), ChronoUnit.MICROS)), s.mode(), Integer.toString(s.vms()), s.hosts(),
                ms(s.downtimeMedianMs()), ms(s.downtimeMaxMs()), ms(s.skewMs()), or(s.holdMaxMs(), ComparisonDocument::ms),
                or(s.tcpStallMs(), ComparisonDocument::ms), or(s.orphanPackets(), String::valueOf), or(s.commitMs(), ComparisonDocument::ms),
                String.format(Locale.ROOT, "%.1f", s.bytes() / 1048576.0))).toList());
        d.paragraph("Times in ms. Per snapshot the median and the largest downtime of its VMs, the longest hold and TCP stall; "
                + "hold, stall, orphans and commit time come from its record (a dash: not recorded); MiB: memory images and disk copies.");
        d.heading("Downtime").figure(List.of(new Document.Key(Charts.PAUSE, "median of the VMs"),
                new Document.Key(Charts.MAX, "the largest")), Charts.downtime(snapshots.stream()
                .map(s -> new DowntimeChart.Bar(s.id(), s.downtimeMedianMs(), s.downtimeMaxMs())).toList(),
                "downtime per snapshot: median and maximum of its VMs, ms"));
        return d.build();
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The figure as text, or a dash when not recorded. */
    static <T> String or(T value, Function<T, String> text) {
        return value == null ? "—" : text.apply(value);
    }
}
