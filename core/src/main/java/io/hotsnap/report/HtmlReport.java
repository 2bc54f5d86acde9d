package io.hotsnap.report;

import io.hotsnap.cluster.CatalogEntry;
import io.hotsnap.cluster.ClusterResult;
import io.hotsnap.net.TcpReport;
import io.hotsnap.snapshot.Manifest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One self-contained HTML page: styles inline, charts as inline SVG, nothing fetched, so that it
 * opens offline and can be mailed as it is. Every text from the snapshot is escaped.
 */
final class HtmlReport {

    static final String NOT_RECORDED = "not recorded";
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
            table{border-collapse:collapse;margin:.5em 0}
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
            th:first-child,td:first-child{text-align:left}
            svg text{font-size:11px;fill:#222}
            .key{display:inline-block;width:1em;height:.8em;margin:0 .3em 0 1em}
            """;

    private HtmlReport() {
    }

    static String render(CatalogEntry entry) {
        Manifest m = entry.manifest();
        ClusterResult result = entry.record() == null ? null : entry.record().result();
        List<VmRow> rows = VmRow.of(entry);
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>HotSnap snapshot ")
                .append(e(m.id())).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        sb.append("<h1>Snapshot ").append(e(m.id())).append("</h1>\n");
        summary(sb, m, result, rows);
        vmTable(sb, rows);
        charts(sb, entry, rows);
        consistency(sb, result);
        flows(sb, result);
        environment(sb, rows);
        return sb.append("</body></html>\n").toString();
    }

    private static void summary(StringBuilder sb, Manifest m, ClusterResult result, List<VmRow> rows) {
        sb.append("<h2>Summary</h2>\n<table>\n");
        row(sb, "When", Instant.EPOCH.plus(m.createdAt(), ChronoUnit.MICROS).truncatedTo(ChronoUnit.MILLIS).toString());
        row(sb, "VMs", rows.size() + ": " + rows.stream().map(VmRow::name).collect(Collectors.joining(", ")));
        row(sb, "Hosts", rows.stream().map(VmRow::host).distinct().collect(Collectors.joining(", ")));
        row(sb, "Mode", m.mode());
        row(sb, "Status", m.status());
        row(sb, "Skew", result == null ? NOT_RECORDED : ms(result.skewMs()));
        row(sb, "Commit time", result == null ? NOT_RECORDED : ms(result.commitMs()));
        row(sb, "Clock uncertainty", result == null ? NOT_RECORDED : "± " + ms(result.clockUncertaintyMs()));
        sb.append("</table>\n");
    }

    private static void vmTable(StringBuilder sb, List<VmRow> rows) {
        sb.append("<h2>VMs</h2>\n<table>\n");
        headerRow(sb, "VM", "host", "downtime", "hold", "transient", "full copy", "memory", "disks");
        for (VmRow r : rows) {
            dataRow(sb, r.name(), r.host(), ms(r.downtimeMs()), ms(r.holdMs()), ms(r.transientMs()), ms(r.fullMs()),
                    mib(r.memoryBytes()), mib(r.diskBytes()));
        }
        sb.append("</table>\n");
    }

    private static void charts(StringBuilder sb, CatalogEntry entry, List<VmRow> rows) {
        sb.append("<h2>Timeline</h2>\n<p>ms from the first event")
                .append(key(Charts.HOLD, "hold (HOLD_ON → HOLD_OFF)"))
                .append(key(Charts.PAUSE, "pause (STOP → RESUME)"))
                .append(key(Charts.COPY, "full copy (RESUME → done)")).append("</p>\n")
                .append(Charts.timeline(VmPhases.chart(entry))).append('\n');
        sb.append("<h2>Downtime</h2>\n").append(Charts.downtimeBars(rows)).append('\n');
    }

    private static void consistency(StringBuilder sb, ClusterResult result) {
        sb.append("<h2>Consistency</h2>\n<p id=\"consistency\">");
        String missing = whyNoTcp(result);
        if (missing != null) {
            sb.append("Orphan packets ").append(e(missing));
        } else {
            int orphans = result.tcp().orphanPackets();
            sb.append("orphan packets: <strong>").append(orphans).append("</strong>")
                    .append(orphans == 0 ? " (a consistent cut)" : " (sent after their sender's snapshot point, delivered before their receiver's)");
        }
        sb.append("</p>\n");
    }

    private static void flows(StringBuilder sb, ClusterResult result) {
        sb.append("<h2>TCP flows</h2>\n");
        String missing = whyNoTcp(result);
        if (missing != null) {
            sb.append("<p>TCP flows ").append(e(missing)).append("</p>\n");
            return;
        }
        if (result.tcp().flows().isEmpty()) {
            sb.append("<p>No TCP flow between the VMs carried data during the cut.</p>\n");
            return;
        }
        sb.append("<table>\n");
        headerRow(sb, "from → to", "connection", "longest stall", "stall from", "retransmits", "tail probes", "spurious", "bytes");
        for (TcpReport.Flow f : result.tcp().flows()) {
            dataRow(sb, f.from() + " → " + f.to(), f.connection(), ms(f.stallMs()), ms(f.stallFromMs()),
                    Integer.toString(f.retransmits()), Integer.toString(f.tailProbes()), Integer.toString(f.spuriousRetransmits()),
                    Long.toString(f.bytes()));
        }
        sb.append("</table>\n");
    }

    /** Why there are no TCP figures, or null when there are. */
    private static String whyNoTcp(ClusterResult result) {
        if (result == null) {
            return NOT_RECORDED + " (this snapshot has no report.json)";
        }
        if (result.tcp() == null) {
            return "not measured: the traffic was not captured";
        }
        if (result.tcp().unavailable() != null || result.tcp().orphanPackets() == null) {
            return "not measured: " + (result.tcp().unavailable() == null ? "no figures" : result.tcp().unavailable());
        }
        return null;
    }

    private static void environment(StringBuilder sb, List<VmRow> rows) {
        sb.append("<h2>Environment</h2>\n<table>\n");
        for (VmRow r : rows) {
            row(sb, "QEMU of " + r.name(), r.qemuVersion() == null ? NOT_RECORDED : r.qemuVersion());
        }
        // The manifest keeps no kernel release; saying so beats leaving the reader to wonder.
        row(sb, "Kernel release", NOT_RECORDED);
        sb.append("</table>\n");
    }

    private static String key(String colour, String label) {
        return "<span class=\"key\" style=\"background:" + colour + "\"></span>" + e(label);
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("<tr><th>").append(e(name)).append("</th><td>").append(e(value)).append("</td></tr>\n");
    }

    private static void headerRow(StringBuilder sb, String... names) {
        sb.append("<tr>");
        for (String n : names) {
            sb.append("<th>").append(e(n)).append("</th>");
        }
        sb.append("</tr>\n");
    }

    private static void dataRow(StringBuilder sb, String... values) {
        sb.append("<tr>");
        for (String v : values) {
            sb.append("<td>").append(e(v)).append("</td>");
        }
        sb.append("</tr>\n");
    }

    private static String e(String text) {
        return Html.escape(text);
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
