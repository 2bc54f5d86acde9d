package io.hotsnap.protocol;

import io.hotsnap.snapshot.StoreListing;
import java.util.List;

/**
 * The agent's answer to {@code snapshots}: the store's committed snapshots, oldest first, and beside
 * them what in the store is no whole snapshot, with the reason.
 *
 * @param broken null from agents older than this list
 */
public record CatalogResult(List<CatalogEntry> snapshots, List<StoreListing.Broken> broken) {
}
