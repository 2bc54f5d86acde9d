package io.hotsnap.protocol;

import io.hotsnap.snapshot.Manifest;
import java.util.List;

/**
 * One committed snapshot of a store.
 *
 * @param record its {@code report.json}; null when it has none that can be read (a local snapshot,
 *               one older than the records, a record that failed or is corrupt)
 * @param here   the VMs whose parts this store holds (a cut across hosts keeps each part on its
 *               VM's host): where a restore of each must run; null from agents older than restore
 */
public record CatalogEntry(Manifest manifest, SnapshotRecord record, List<String> here) {

    /** A snapshot read for its figures only (a report): where its parts are is not asked. */
    public CatalogEntry(Manifest manifest, SnapshotRecord record) {
        this(manifest, record, List.of());
    }
}
