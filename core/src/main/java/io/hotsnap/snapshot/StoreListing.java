package io.hotsnap.snapshot;

import java.util.List;

/**
 * What a store holds: its committed snapshots, oldest first, and every directory that is not one.
 *
 * @param broken directories that are no whole snapshot (a corrupt manifest, a foreign directory, a
 *               snapshot never committed), by name, each with the reason in one line
 */
public record StoreListing(List<Manifest> snapshots, List<Broken> broken) {

    /** A directory of the store that is no whole snapshot, and why. */
    public record Broken(String dir, String reason) {
    }
}
