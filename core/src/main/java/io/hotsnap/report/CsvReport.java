package io.hotsnap.report;

import io.hotsnap.bench.BenchReport;
import io.hotsnap.protocol.CatalogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reports as CSV (RFC 4180: CRLF line ends, fields quoted when they must be, text that looks like a
 * formula escaped); an unrecorded figure is an empty field.
 */
final class CsvReport {

    static final List<String> SNAPSHOT = List.of("id", "mode", "host", "vm", "downtime_ms", "hold_ms", "transient_ms", "full_ms",
            "memory_bytes", "disk_bytes", "qemu_version", "stop_at_us", "kernel_release");
    static final List<String> COMPARISON = List.of("id", "created_at_us", "mode", "status", "vms", "hosts", "downtime_median_ms",
            "downtime_max_ms", "skew_ms", "hold_max_ms", "tcp_stall_ms", "orphan_packets", "commit_ms", "bytes");
    static final List<String> BENCH = List.of("vms", "memory_mib", "mode", "runs", "failed", "downtime_median_ms", "downtime_max_ms",
            "downtime_vs_hold", "skew_median_ms", "hold_median_ms", "stall_median_ms", "stall_vs_hold", "orphans_median",
            "commit_median_ms", "commit_vs_hold");

    private static final String FORMULA_START = "=+-@\t\r";
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE]-?\\d+)?");

    private CsvReport() {
    }

    static List<List<String>> snapshot(CatalogEntry entry) {
        return VmRow.of(entry).stream().map(r -> List.of(entry.manifest().id(), entry.manifest().mode(), text(r.host()), r.name(),
                text(r.downtimeMs()), text(r.holdMs()), text(r.transientMs()), text(r.fullMs()), text(r.memoryBytes()),
                text(r.diskBytes()), text(r.qemuVersion()), text(r.stopAtUs()), text(r.kernelRelease()))).toList();
    }

    static List<List<String>> comparison(List<SnapshotFigures> figures) {
        return figures.stream().map(s -> List.of(s.id(), text(s.createdAt()), s.mode(), s.status(), text(s.vms()), s.hosts(),
                text(s.downtimeMedianMs()), text(s.downtimeMaxMs()), text(s.skewMs()), text(s.holdMaxMs()), text(s.tcpStallMs()),
                text(s.orphanPackets()), text(s.commitMs()), text(s.bytes()))).toList();
    }

    static List<List<String>> bench(BenchReport bench) {
        List<List<String>> rows = new ArrayList<>();
        for (BenchReport.Size size : bench.sizes()) {
            BenchReport.Result hold = BenchDocument.hold(size);
            for (BenchReport.Result r : size.results()) {
                rows.add(List.of(text(size.vms()), text(size.memoryMiB()), r.mode(), text(bench.runs()), text(r.failed()),
                        text(r.downtimeMs().median()), text(r.downtimeMs().max()), text(r.downtimeVsHold()), text(r.skewMs().median()),
                        text(r.holdMs().median()), text(r.stallMs().median()),
                        text(BenchDocument.vsHold(r.stallMs(), hold, BenchReport.Result::stallMs)), text(r.orphans().median()),
                        text(r.commitMs().median()), text(BenchDocument.vsHold(r.commitMs(), hold, BenchReport.Result::commitMs))));
            }
        }
        return rows;
    }

    static String render(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        line(sb, header);
        rows.forEach(r -> line(sb, r));
        return sb.toString();
    }

    private static String text(Object value) {
        return Objects.toString(value, "");
    }

    private static void line(StringBuilder sb, List<String> fields) {
        List<String> quoted = new ArrayList<>();
        fields.forEach(f -> quoted.add(field(f)));
        sb.append(String.join(",", quoted)).append("\r\n");
    }

    static String field(String raw) {
        String value = formulaSafe(raw);
        if (value.contains(",") || value.contains("\"") || value.contains("\r") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    /**
     * A cell a spreadsheet would run as a formula (a VM named {@code =HYPERLINK(...)}) gets a leading
     * apostrophe, OWASP's escape; a plain negative figure is a number, not a formula, and stays one.
     */
    private static String formulaSafe(String value) {
        if (value.isEmpty() || FORMULA_START.indexOf(value.charAt(0)) < 0 || NUMBER.matcher(value).matches()) {
            return value;
        }
        return "'" + value;
    }
}
