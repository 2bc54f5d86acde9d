package io.hotsnap.cluster;

import io.hotsnap.snapshot.Manifest;

/**
 * One committed snapshot of a store.
 *
 * @param record its {@code report.json}; null when it has none that can be read (a local snapshot,
 *               one older than the records, a record that failed or is corrupt)
 */
public record CatalogEntry(Manifest manifest, SnapshotRecord record) {
}
