package io.hotsnap.report;

import io.hotsnap.cluster.CatalogEntry;
import java.util.ArrayList;
import java.util.List;

/** One row per VM (RFC 4180: CRLF line ends, fields quoted when they must be). */
final class CsvReport {

    static final List<String> HEADER = List.of("id", "mode", "host", "vm", "downtime_ms", "hold_ms", "transient_ms", "full_ms",
            "memory_bytes", "disk_bytes", "qemu_version", "stop_at_us");

    private CsvReport() {
    }

    static String render(CatalogEntry entry) {
        StringBuilder sb = new StringBuilder();
        line(sb, HEADER);
        for (VmRow r : VmRow.of(entry)) {
            line(sb, List.of(entry.manifest().id(), entry.manifest().mode(), text(r.host()), r.name(),
                    Double.toString(r.downtimeMs()), Double.toString(r.holdMs()), Double.toString(r.transientMs()),
                    Double.toString(r.fullMs()), Long.toString(r.memoryBytes()), Long.toString(r.diskBytes()),
                    text(r.qemuVersion()), Long.toString(r.stopAtUs())));
        }
        return sb.toString();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static void line(StringBuilder sb, List<String> fields) {
        List<String> quoted = new ArrayList<>();
        fields.forEach(f -> quoted.add(field(f)));
        sb.append(String.join(",", quoted)).append("\r\n");
    }

    static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\r") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
