package io.hotsnap.cluster;

import java.util.List;

/** The agent's answer to {@code snapshots}: the store's committed snapshots, oldest first. */
public record CatalogResult(List<CatalogEntry> snapshots) {
}
