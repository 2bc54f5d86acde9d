package io.hotsnap.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hotsnap show ID}: one committed snapshot. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one snapshot (with --json: its whole manifest).")
final class ShowCommand implements Callable<Integer> {

    private final ResultPrinter printer;
    @Parameters(paramLabel = "ID", description = "the snapshot")
    private String id;
    @Mixin
    private StoreOption store;
    @Mixin
    private JsonOption json;

    ShowCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        var m = StoreReads.existing(id, store.store());
        if (json.json) {
            printer.json(m);
        } else {
            printer.text(SnapshotSummary.of(m).line());
        }
        return 0;
    }
}
