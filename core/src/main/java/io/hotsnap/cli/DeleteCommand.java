package io.hotsnap.cli;

import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.BackingUsers;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotDeletion;
import io.hotsnap.snapshot.SnapshotStore;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hotsnap delete ID}: refused while a running VM uses the snapshot's files. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a snapshot; refused, naming them, while running VMs use its files (see detach).")
final class DeleteCommand implements Callable<Integer> {

    private final ResultPrinter printer;
    @Parameters(paramLabel = "ID", description = "the snapshot")
    private String id;
    @Mixin
    private StoreOption store;
    @Mixin
    private JsonOption json;

    DeleteCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        SnapshotStore snapshots = store.store();
        Manifest m = StoreReads.existing(id, snapshots);
        try {
            new SnapshotDeletion(snapshots, new BackingUsers(StoreReads.hostVms(), Timeouts.defaults())).delete(m.id());
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot delete " + m.id() + ": " + e.getMessage());
        }
        if (json.json) {
            printer.json(Map.of("deleted", m.id()));
        } else {
            printer.text("deleted " + m.id());
        }
        return 0;
    }
}
