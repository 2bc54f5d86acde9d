package io.hotsnap.cli;

import io.hotsnap.cluster.ClusterEvent;
import io.hotsnap.cluster.ClusterException;
import io.hotsnap.cluster.ClusterOptions;
import io.hotsnap.cluster.ClusterResult;
import io.hotsnap.cluster.ClusterTarget;
import io.hotsnap.cluster.Coordinator;
import io.hotsnap.cluster.VmResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.LocalAgentLink;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.SnapshotStore;
import java.util.List;
import java.util.Set;

/**
 * {@code hotsnap snapshot --cluster} (or {@code --mode hold}): one consistent cut of the VMs through
 * the local agent (a child process, as a remote host's agent will be over SSH).
 */
final class ClusterSnapshotCommand {

    /** The events worth a progress line; PROGRESS would flood the terminal. */
    private static final Set<EventKind> NOTED = Set.of(EventKind.HOLD_ON, EventKind.STOP, EventKind.RESUME, EventKind.HOLD_OFF,
            EventKind.DONE, EventKind.ERROR);

    private ClusterSnapshotCommand() {
    }

    static int run(List<String> vms, DiskMode disk, SnapshotStore store, boolean json, ResultPrinter printer) {
        ClusterResult result;
        try (LocalAgentLink link = LocalAgentLink.start(Timeouts.defaults())) {
            result = new Coordinator(List.of(new ClusterTarget(link, vms)),
                    ClusterOptions.defaults().withStore(store.root().toString()).withDiskMode(disk),
                    e -> progress(e, printer)).snapshot();
        } catch (ClusterException e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        }
        if (json) {
            printer.json(result);
        } else {
            printer.text(String.format("%s  %s  %s  skew %.3f ms, committed %.0f ms after the snapshot began",
                    result.id(), result.status(), result.mode(), result.skewMs(), result.commitMs()));
            for (VmResult vm : result.vms()) {
                printer.text(String.format("  %-12s downtime %7.1f ms  hold %7.1f ms  full %8.0f ms", vm.name(), vm.downtimeMs(),
                        vm.holdMs(), vm.fullMs()));
            }
        }
        return 0;
    }

    private static void progress(ClusterEvent e, ResultPrinter printer) {
        if (NOTED.contains(e.kind()) && e.vm() != null) {
            printer.note(e.vm() + ": " + e.kind());
        }
    }
}
