package io.hotsnap.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/** Several snapshots side by side: one row of headline figures each, and their downtimes as bars. */
final class ComparisonDocument {

    static final List<String> HEADER = List.of("snapshot", "when", "mode", "VMs", "hosts", "downtime median", "downtime max", "skew",
            "hold max", "TCP stall", "orphans", "commit", "size");

    private ComparisonDocument() {
    }

    static Document of(List<SnapshotFigures> snapshots) {
        Document.Builder d = new Document.Builder("Comparison of " + snapshots.size() + " snapshots");
        d.heading("Snapshots").table(HEADER, snapshots.stream().map(s -> List.of(s.id(),
                Instant.EPOCH.plus(s.createdAt(), ChronoUnit.MICROS).truncatedTo(ChronoUnit.SECONDS).toString(), s.mode(),
                Integer.toString(s.vms()), s.hosts(), SnapshotDocument.ms(s.downtimeMedianMs()), SnapshotDocument.ms(s.downtimeMaxMs()),
                SnapshotDocument.ms(s.skewMs()), or(s.holdMaxMs(), SnapshotDocument::ms), or(s.tcpStallMs(), SnapshotDocument::ms),
                or(s.orphanPackets(), String::valueOf), or(s.commitMs(), SnapshotDocument::ms), SnapshotDocument.mib(s.bytes()))).toList());
        d.paragraph("Per snapshot the median and the largest downtime of its VMs; hold, stall and orphans from its record "
                + "(a dash: not recorded).");
        d.heading("Downtime").figure(List.of(new Document.Key(Charts.PAUSE, "median of the VMs"),
                new Document.Key(Charts.AXIS, "to the largest")), Charts.bars(snapshots.stream()
                .map(s -> new Charts.Bar(s.id(), s.downtimeMedianMs(), s.downtimeMaxMs())).toList(), Charts.PAUSE, "downtime", " ms",
                "downtime per snapshot: median and maximum of its VMs, ms"));
        return d.build();
    }

    /** The figure as text, or a dash when not recorded. */
    static <T> String or(T value, Function<T, String> text) {
        return value == null ? "—" : text.apply(value);
    }
}
