package io.hotsnap.report;

import io.hotsnap.bench.Stats;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.snapshot.Manifest;
import java.util.List;

/**
 * One snapshot's headline figures, for comparing snapshots. A figure the snapshot did not record
 * is null (JSON null, an empty CSV field, a dash in HTML and PDF).
 *
 * @param createdAt      µs since the epoch
 * @param skewMs         the record's; for a snapshot without one, its parts' snapshot points (one
 *                       host's clock)
 * @param holdMaxMs      the longest hold of its VMs
 * @param tcpStallMs     the longest stall of its TCP flows
 * @param orphanPackets  the consistency check
 * @param bytes          memory images and disk copies
 */
public record SnapshotFigures(String id, long createdAt, String mode, String status, int vms, String hosts, double downtimeMedianMs,
                             double downtimeMaxMs, double skewMs, Double holdMaxMs, Double tcpStallMs, Integer orphanPackets,
                             Double commitMs, long bytes) {

    static SnapshotFigures of(CatalogEntry entry) {
        Manifest m = entry.manifest();
        List<VmRow> rows = VmRow.of(entry);
        List<Double> downtimes = rows.stream().map(VmRow::downtimeMs).toList();
        ClusterResult result = entry.record() == null ? null : entry.record().result();
        double skew = result != null ? result.skewMs()
                : (rows.stream().mapToLong(VmRow::stopAtUs).max().orElse(0) - rows.stream().mapToLong(VmRow::stopAtUs).min().orElse(0)) / 1000.0;
        boolean tcp = SnapshotDocument.whyNoTcp(result) == null;
        return new SnapshotFigures(m.id(), m.createdAt(), m.mode(), m.status(), rows.size(), SnapshotDocument.hosts(rows),
                downtimes.isEmpty() ? 0 : Stats.median(downtimes), downtimes.isEmpty() ? 0 : Stats.max(downtimes), skew,
                result == null ? null : rows.stream().mapToDouble(VmRow::holdMs).max().orElse(0),
                tcp ? result.tcp().maxStallMs() : null, tcp ? result.tcp().orphanPackets() : null,
                result == null ? null : result.commitMs(), rows.stream().mapToLong(r -> r.memoryBytes() + r.diskBytes()).sum());
    }
}
