package io.hotsnap.cli;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.coordinator.ClusterOptions;
import io.hotsnap.coordinator.LocalAgentLink;
import io.hotsnap.host.SafeName;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.LocalSnapshots;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotEvent;
import io.hotsnap.snapshot.SnapshotMode;
import io.hotsnap.snapshot.SnapshotStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hotsnap snapshot}: a cluster cut through the hosts' agents ({@code auto} unless
 * {@code --mode} says otherwise); {@code --mode hotsnap} is the plain per-VM snapshot of this host's
 * VMs, one after another, with no agent and no network control.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Take one consistent snapshot (a cut) of VMs on one or more hosts.")
final class SnapshotCommand implements Callable<Integer> {

    private final ResultPrinter printer;
    private final AgentConnector connector;

    @Option(names = "--vms", paramLabel = "NAME", split = ",",
            description = "the VMs to cut, by name (HOST/NAME when a name runs on several hosts)")
    private List<String> vms;
    @Option(names = "--all", description = "every running VM of the hosts")
    private boolean all;
    @Mixin
    private HostsOption hosts;
    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (hold where the hold can see a VM's traffic, barrier where it cannot), hold, barrier, independent, "
                    + "precopy, stopcopy, or hotsnap (this host's VMs one by one; default ${DEFAULT-VALUE})")
    private String mode;
    @Option(names = "--disk", paramLabel = "copy|overlay|none", defaultValue = "copy",
            description = "the disks' point in time: a copy, an external overlay, or none (default ${DEFAULT-VALUE})")
    private String disk;
    @Option(names = "--stagger-ms", paramLabel = "N", defaultValue = "0", description = "spread the VMs' snapshot points by N ms, 0-60000 (for tests)")
    private int staggerMs;
    @Option(names = "--no-capture", description = "no packet capture, so no TCP stall figures")
    private boolean noCapture;
    /** The old spelling of the default mode, still accepted. */
    @Option(names = "--cluster", hidden = true)
    private boolean cluster;
    @Mixin
    private StoreOption store;
    @Mixin
    private JsonOption json;

    SnapshotCommand(ResultPrinter printer, AgentConnector connector) {
        this.printer = printer;
        this.connector = connector;
    }

    @Override
    public Integer call() {
        List<String> hostNames = hosts.names();
        List<String> names = vms == null ? null : Values.names(vms);
        if (names != null) {
            names.forEach(SafeName::checkVmName);
        }
        if (all == (names != null)) {
            throw new CliException(ExitCode.USAGE, "name the VMs with --vms NAME[,NAME…], or take every running VM with --all");
        }
        DiskMode diskMode = DiskMode.parse(disk);
        int stagger = Values.between("--stagger-ms", staggerMs, 0, 60_000);
        SnapshotStore snapshots = store.store();
        if (mode.equals(SnapshotMode.HOTSNAP.cliName())) {
            if (!hostNames.equals(List.of(LocalAgentLink.HOST_NAME)) || all) {
                throw new CliException(ExitCode.USAGE, "--mode hotsnap snapshots VMs of this host one by one: use --vms, no --hosts");
            }
            Manifest m = new LocalSnapshots(StoreReads.hostVms(), snapshots, Timeouts.defaults())
                    .take(names, SnapshotMode.HOTSNAP, diskMode, this::progress);
            SnapshotSummary.of(m).print(printer, json.json);
            return 0;
        }
        ClusterOptions options = ClusterOptions.defaults().withMode(ClusterMode.parse(mode)).withStore(snapshots.root().toString())
                .withDiskMode(diskMode).withStagger(stagger).withCapture(!noCapture);
        return ClusterSnapshotCommand.run(hostNames, names, options, connector, json.json, printer);
    }

    private void progress(SnapshotEvent e) {
        if (e instanceof SnapshotEvent.Phase p) {
            printer.note(p.vm() + ": " + p.phase());
        }
    }
}
