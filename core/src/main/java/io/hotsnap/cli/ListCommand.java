package io.hotsnap.cli;

import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.StoreListing;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hotsnap list}: the good snapshots, and beside them each broken entry with its reason: one bad entry hides nothing. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the committed snapshots, and what in the store is broken.")
final class ListCommand implements Callable<Integer> {

    private final ResultPrinter printer;
    @Mixin
    private StoreOption store;
    @Mixin
    private JsonOption json;

    ListCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        SnapshotStore snapshots = store.store();
        StoreListing listing = snapshots.listing();
        List<SnapshotSummary> all = listing.snapshots().stream().map(SnapshotSummary::of).toList();
        if (json.json) {
            printer.json(Map.of("snapshots", all, "broken", listing.broken()));
            return 0;
        }
        if (all.isEmpty()) {
            printer.text("no snapshots in " + snapshots.root());
        }
        all.forEach(s -> printer.text(s.line()));
        listing.broken().forEach(b -> printer.text(b.dir() + "  broken    " + b.reason()));
        return 0;
    }
}
