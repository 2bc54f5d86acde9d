package io.hotsnap.app.catalog;

import io.hotsnap.net.TcpReport;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.StoreListing;
import io.hotsnap.snapshot.VmPart;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One committed snapshot in the catalog, as its manifest (and its report, when it has one) says.
 * Figures that only the report holds are NaN without one; the view shows a dash. A store entry that
 * is no whole snapshot is a row too, {@link #broken}, its status saying why: it hides nothing else.
 *
 * @param entry   the snapshot as its host's agent listed it (manifest and record): what a report is made of; null for a broken entry
 * @param store   the store the hosts listed it from; null: each host's default
 * @param vmHosts VM → the connected host (as the console names it) that keeps its part: where it can be restored
 */
public record CatalogRow(String id, String hosts, String time, String vms, String mode, String status, double maxDowntimeMs,
                         double skewMs, double tcpStallMs, long bytes, CatalogEntry entry, String store, Map<String, String> vmHosts) {

    public CatalogRow {
        vmHosts = Map.copyOf(vmHosts);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    static CatalogRow of(CatalogEntry entry, String store, Map<String, String> vmHosts) {
        Manifest m = entry.manifest();
        SnapshotRecord record = entry.record();
        String vms = m.vms().stream().map(VmPart::name).collect(Collectors.joining(", "));
        long bytes = m.vms().stream().mapToLong(p -> (p.memory() != null ? p.memory().bytes() : 0)
                + p.disks().stream().mapToLong(d -> d.image().bytes()).sum()).sum();
        double downtime = m.vms().stream().mapToDouble(VmPart::downtimeMs).max().orElse(Double.NaN);
        double skew = Double.NaN;
        double stall = Double.NaN;
        if (record != null) {
            downtime = record.result().vms().stream().mapToDouble(VmResult::downtimeMs).max().orElse(downtime);
            skew = record.result().skewMs();
            TcpReport tcp = record.result().tcp();
            if (tcp != null && tcp.unavailable() == null) {
                stall = tcp.flows().stream().mapToDouble(TcpReport.Flow::stallMs).max().orElse(0);
            }
        }
        return new CatalogRow(m.id(), m.host(), TIME.format(Instant.ofEpochSecond(0, m.createdAt() * 1000)), vms, m.mode(),
                m.status(), downtime, skew, stall, bytes, entry, store, vmHosts);
    }

    /** A store entry that is no whole snapshot (a corrupt manifest, a foreign directory), named by its directory. */
    static CatalogRow broken(StoreListing.Broken entry, String host, String store) {
        return new CatalogRow(entry.dir(), host, "", "", "", "broken: " + entry.reason(), Double.NaN, Double.NaN, Double.NaN, 0, null,
                store, Map.of());
    }

    public boolean broken() {
        return entry == null;
    }

    /** Null for snapshots without a report (single-VM ones, older ones) and broken entries: nothing to replay. */
    public SnapshotRecord record() {
        return broken() ? null : entry.record();
    }

    /** The committed manifest, every VM's part as recorded. */
    public Manifest manifest() {
        return entry.manifest();
    }

    public boolean replayable() {
        return record() != null;
    }
}
