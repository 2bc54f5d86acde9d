package io.hotsnap.report;

import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.report.charts.DowntimeChart;
import io.hotsnap.snapshot.Manifest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One snapshot's report: summary, per-VM table, charts (timeline, downtime, progress, TCP), the
 * consistency check and the environment.
 */
final class SnapshotDocument {

    static final String NOT_RECORDED = "not recorded";

    private SnapshotDocument() {
    }

    static Document of(CatalogEntry entry) {
        Manifest m = entry.manifest();
        ClusterResult result = entry.record() == null ? null : entry.record().result();
        List<VmRow> rows = VmRow.of(entry);
        VmPhases.Chart phases = VmPhases.chart(entry);
        Document.Builder d = new Document.Builder("Snapshot " + m.id());
        summary(d, m, result, rows);
        d.heading("VMs").table(List.of("VM", "host", "downtime", "hold", "transient", "full copy", "memory", "disks"),
                rows.stream().map(r -> List.of(r.name(), r.host(), ms(r.downtimeMs()), ms(r.holdMs()), ms(r.transientMs()), ms(r.fullMs()),
                        mib(r.memoryBytes()), mib(r.diskBytes()))).toList());
        d.heading("Timeline").figure(List.of(new Document.Key(Charts.HOLD, "hold (HOLD_ON → HOLD_OFF)"),
                new Document.Key(Charts.PAUSE, "pause (STOP → RESUME)"), new Document.Key(Charts.COPY, "full copy (RESUME → done)"),
                new Document.Key(Charts.STOP, "STOP"), new Document.Key(Charts.RESUME, "RESUME")), Charts.timeline(phases));
        d.heading("Downtime").figure(List.of(), Charts.downtime(rows.stream().map(r -> new DowntimeChart.Bar(r.name(), r.downtimeMs(), null))
                .toList(), "downtime per VM, ms"));
        progress(d, entry, phases);
        consistency(d, result);
        flows(d, result, phases);
        environment(d, rows);
        return d.build();
    }

    private static void summary(Document.Builder d, Manifest m, ClusterResult result, List<VmRow> rows) {
        d.heading("Summary");
        d.field("When", Instant.EPOCH.plus(m.createdAt(), ChronoUnit.MICROS).truncatedTo(ChronoUnit.MILLIS).toString());
        d.field("VMs", rows.size() + ": " + rows.stream().map(VmRow::name).collect(Collectors.joining(", ")));
        d.field("Hosts", hosts(rows));
        d.field("Mode", m.mode());
        d.field("Result", m.status());
        d.field("Skew", result == null ? NOT_RECORDED : ms(result.skewMs()));
        d.field("Commit time", result == null ? NOT_RECORDED : ms(result.commitMs()));
        d.field("Clock uncertainty", result == null ? NOT_RECORDED : "± " + ms(result.clockUncertaintyMs()));
    }

    static String hosts(List<VmRow> rows) {
        return rows.stream().map(VmRow::host).distinct().collect(Collectors.joining(", "));
    }

    private static void progress(Document.Builder d, CatalogEntry entry, VmPhases.Chart phases) {
        d.heading("Full copy progress (MiB of guest memory done)");
        Document.Chart chart = entry.record() == null ? null : Charts.progress(phases, entry.record().events());
        if (chart == null) {
            d.paragraph("Progress " + NOT_RECORDED + (entry.record() == null ? " (this snapshot has no report.json)" : ""));
            return;
        }
        List<Document.Key> keys = new ArrayList<>();
        for (int i = 0; i < phases.vms().size(); i++) {
            keys.add(new Document.Key(Charts.series(i), phases.vms().get(i).vm()));
        }
        d.figure(keys, chart);
    }

    private static void consistency(Document.Builder d, ClusterResult result) {
        d.heading("Consistency");
        coverage(d, result);
        String missing = whyNoTcp(result);
        if (missing != null) {
            d.paragraph("consistency", "Orphan packets " + missing);
            return;
        }
        int orphans = result.tcp().orphanPackets();
        d.paragraph("consistency", "orphan packets: " + orphans + (orphans == 0 ? " (a consistent cut)"
                : " (sent after their sender's snapshot point, delivered before their receiver's)"));
    }

    /** One line per VM: how the cut covered it (auto mode mixes the two ways). */
    private static void coverage(Document.Builder d, ClusterResult result) {
        if (result == null) {
            return;
        }
        for (VmResult vm : result.vms()) {
            if (vm.coverage() != null) {
                d.field(vm.name() + " (" + vm.host() + ")", vm.coverage().text());
            }
        }
    }

    private static void flows(Document.Builder d, ClusterResult result, VmPhases.Chart phases) {
        d.heading("TCP flows");
        String missing = whyNoTcp(result);
        if (missing != null) {
            d.paragraph("TCP flows " + missing);
            return;
        }
        List<TcpReport.Flow> flows = result.tcp().flows();
        if (flows.isEmpty()) {
            d.paragraph("No TCP flow between the VMs carried data during the cut.");
            return;
        }
        if (!result.tcp().truncated().isEmpty()) {
            d.paragraph("The captures of " + String.join(", ", result.tcp().truncated())
                    + " reached their size cap: their figures miss what came after.");
        }
        d.figure(List.of(new Document.Key(Charts.STALL, "longest stall"), new Document.Key(Charts.RETRANSMIT, "retransmission"),
                new Document.Key(Charts.PAUSE_WINDOW, "VMs paused")), Charts.tcp(flows, phases));
        d.table(List.of("from → to", "connection", "longest stall", "stall from", "retransmits", "tail probes", "spurious", "bytes"),
                flows.stream().map(f -> List.of(f.from() + " → " + f.to(), f.connection(), ms(f.stallMs()), ms(f.stallFromMs()),
                        Integer.toString(f.retransmits()), Integer.toString(f.tailProbes()), Integer.toString(f.spuriousRetransmits()),
                        Long.toString(f.bytes()))).toList());
    }

    /** Why there are no TCP figures, or null when there are. */
    static String whyNoTcp(ClusterResult result) {
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

    private static void environment(Document.Builder d, List<VmRow> rows) {
        d.heading("Environment");
        for (VmRow r : rows) {
            d.field("QEMU of " + r.name(), r.qemuVersion() == null ? NOT_RECORDED : r.qemuVersion());
        }
        // One kernel per host: the host's parts all carry the same release.
        rows.stream().map(VmRow::host).distinct().forEach(host -> d.field("Kernel of " + host, rows.stream()
                .filter(r -> r.host().equals(host) && r.kernelRelease() != null).map(VmRow::kernelRelease).findFirst()
                .orElse(NOT_RECORDED + " (snapshot taken before kernels were recorded)")));
    }

    static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
