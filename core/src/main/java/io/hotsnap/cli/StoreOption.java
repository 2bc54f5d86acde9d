package io.hotsnap.cli;

import io.hotsnap.snapshot.SnapshotStore;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --store DIR}: the snapshot store a command works on. */
final class StoreOption {

    @Option(names = "--store", paramLabel = "DIR", description = "the snapshot store (default: /var/lib/hotsnap/snapshots as root, ~/.local/share/hotsnap/snapshots otherwise)")
    Path dir;

    Optional<Path> given() {
        return Optional.ofNullable(dir).map(Path::toAbsolutePath);
    }

    SnapshotStore store() {
        return new SnapshotStore(given().orElse(SnapshotStore.defaultRoot()));
    }
}
