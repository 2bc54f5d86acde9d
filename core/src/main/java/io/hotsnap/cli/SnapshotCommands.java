package io.hotsnap.cli;

import io.hotsnap.cluster.ClusterMode;
import io.hotsnap.cluster.ClusterOptions;
import io.hotsnap.host.HostPaths;
import io.hotsnap.host.SafeName;
import io.hotsnap.protocol.AgentConnector;
import io.hotsnap.protocol.LocalAgentLink;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.snapshot.LocalSnapshots;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotEvent;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotMode;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.StoreListing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.ArrayList;
import io.hotsnap.restore.RestoredVm;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.VmEndpoint;
import io.hotsnap.vm.VmSourceException;
import io.hotsnap.vm.VmSources;
import io.hotsnap.snapshot.BackingUsers;
import io.hotsnap.snapshot.DiskDetach;
import io.hotsnap.snapshot.SnapshotDeletion;

/** {@code snapshot}, {@code list}, {@code show ID}, {@code delete ID}: snapshots of this host's VMs. */
final class SnapshotCommands {

    private SnapshotCommands() {
    }

    static List<Command> all(AgentConnector connector) {
        return List.of(
                command("snapshot", "(--vms [HOST/]NAME[,…] | --all) [--hosts local|HOST[,HOST…]] [--mode hold|barrier|independent|precopy|stopcopy|hotsnap] [--disk copy|overlay|none] [--stagger-ms N] [--no-capture] [--store DIR]",
                        (args, json, store, printer) -> snapshot(args, json, store, printer, connector)),
                command("list", "[--store DIR]: committed snapshots, and what in the store is broken", SnapshotCommands::list),
                command("show", "ID [--store DIR]", SnapshotCommands::show),
                command("delete", "ID [--store DIR]: refused while a running VM uses its files", SnapshotCommands::delete),
                command("detach", "VM [--store DIR]: the VM's disks stop using the store's snapshots (streamed into its overlays)",
                        SnapshotCommands::detach),
                command("restore", "ID [--vms NAME[,NAME…]] [--as-clone NAME] [--store DIR]", SnapshotCommands::restore));
    }

    private interface Body {
        int run(Args args, boolean json, SnapshotStore store, ResultPrinter printer);
    }

    private static Command command(String name, String summary, Body body) {
        return new Command() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String summary() {
                return summary;
            }

            @Override
            public int run(List<String> words, ResultPrinter printer) {
                Args args = Args.parse(words, Set.of("json", "cluster", "all", "no-capture"));
                boolean json = args.flag("json");
                SnapshotStore store = new SnapshotStore(args.option("store").map(Path::of).map(Path::toAbsolutePath)
                        .orElse(SnapshotStore.defaultRoot()));
                try {
                    return body.run(args, json, store, printer);
                } catch (SnapshotException e) {
                    throw new CliException(e.kind() == SnapshotException.Kind.REFUSED ? CliException.CONFLICT : CliException.FAILED,
                            e.getMessage());
                } catch (IllegalArgumentException e) {
                    throw new CliException(CliException.USAGE, e.getMessage());
                }
            }
        };
    }

    /**
     * A cluster cut through the hosts' agents ({@code hold} unless {@code --mode} says otherwise);
     * {@code --mode hotsnap} is the plain per-VM snapshot of this host's VMs, one after another,
     * with no agent and no network control.
     */
    private static int snapshot(Args args, boolean json, SnapshotStore store, ResultPrinter printer, AgentConnector connector) {
        List<String> hosts = names(args.option("hosts").orElse(LocalAgentLink.HOST_NAME));
        Optional<List<String>> vms = args.option("vms").map(SnapshotCommands::names);
        vms.ifPresent(names -> names.forEach(SafeName::checkVmName));
        boolean all = args.flag("all");
        if (all == vms.isPresent()) {
            throw new CliException(CliException.USAGE, "name the VMs with --vms NAME[,NAME…], or take every running VM with --all");
        }
        String modeName = args.option("mode").orElse(ClusterMode.HOLD.cliName());
        DiskMode disk = DiskMode.parse(args.option("disk").orElse("copy"));
        int stagger = args.intOption("stagger-ms", 0, 0, 60_000);
        boolean capture = !args.flag("no-capture");
        args.flag("cluster"); // the old spelling of the default mode
        args.rejectUnknown();
        if (modeName.equals(SnapshotMode.HOTSNAP.cliName())) {
            if (!hosts.equals(List.of(LocalAgentLink.HOST_NAME)) || all) {
                throw new CliException(CliException.USAGE, "--mode hotsnap snapshots VMs of this host one by one: use --vms, no --hosts");
            }
            Manifest m = new LocalSnapshots(hostVms(), store, Timeouts.defaults())
                    .take(vms.get(), SnapshotMode.HOTSNAP, disk, e -> progress(e, printer));
            print(SnapshotSummary.of(m), json, printer);
            return 0;
        }
        ClusterOptions options = ClusterOptions.defaults().withMode(ClusterMode.parse(modeName)).withStore(store.root().toString())
                .withDiskMode(disk).withStagger(stagger).withCapture(capture);
        return ClusterSnapshotCommand.run(hosts, vms.orElse(null), options, connector, json, printer);
    }

    private static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static void progress(SnapshotEvent e, ResultPrinter printer) {
        if (e instanceof SnapshotEvent.Phase p) {
            printer.note(p.vm() + ": " + p.phase());
        }
    }

    /** The good snapshots, and beside them each broken entry with its reason: one bad entry hides nothing. */
    private static int list(Args args, boolean json, SnapshotStore store, ResultPrinter printer) {
        args.rejectUnknown();
        StoreListing listing = store.listing();
        List<SnapshotSummary> all = listing.snapshots().stream().map(SnapshotSummary::of).toList();
        if (json) {
            printer.json(Map.of("snapshots", all, "broken", listing.broken()));
            return 0;
        }
        if (all.isEmpty()) {
            printer.text("no snapshots in " + store.root());
        }
        all.forEach(s -> printer.text(s.line()));
        listing.broken().forEach(b -> printer.text(b.dir() + "  broken    " + b.reason()));
        return 0;
    }

    private static int show(Args args, boolean json, SnapshotStore store, ResultPrinter printer) {
        Manifest m = existing(args, store);
        if (json) {
            printer.json(m);
        } else {
            printer.text(SnapshotSummary.of(m).line());
        }
        return 0;
    }

    private static int delete(Args args, boolean json, SnapshotStore store, ResultPrinter printer) {
        Manifest m = existing(args, store);
        try {
            new SnapshotDeletion(store, new BackingUsers(hostVms(), Timeouts.defaults())).delete(m.id());
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot delete " + m.id() + ": " + e.getMessage());
        }
        if (json) {
            printer.json(Map.of("deleted", m.id()));
        } else {
            printer.text("deleted " + m.id());
        }
        return 0;
    }

    private static int detach(Args args, boolean json, SnapshotStore store, ResultPrinter printer) {
        args.rejectUnknown();
        if (args.positional().size() != 1) {
            throw new CliException(CliException.USAGE, "a VM name is required");
        }
        String vm = args.positional().get(0);
        VmEndpoint endpoint;
        try {
            endpoint = hostVms().find(vm).endpoint();
        } catch (VmSourceException e) {
            throw new CliException(CliException.CONFLICT, e.getMessage());
        }
        List<DiskDetach.Detached> detached = new DiskDetach(Timeouts.defaults()).detach(vm, endpoint, store.root());
        if (json) {
            printer.json(Map.of("vm", vm, "detached", detached));
        } else if (detached.isEmpty()) {
            printer.text(vm + " uses no snapshot of " + store.root() + ": nothing to detach");
        } else {
            detached.forEach(d -> printer.text(vm + ": disk " + d.disk() + " no longer uses " + String.join(", ", d.files())));
        }
        return 0;
    }

    private static VmSources hostVms() {
        return VmSources.host(HostPaths.socketDir(), Timeouts.defaults());
    }

    private static int restore(Args args, boolean json, SnapshotStore store, ResultPrinter printer) {
        Optional<String> clone = args.option("as-clone").map(name -> SafeName.check("clone name", name));
        Optional<List<String>> only = args.option("vms").map(v -> Arrays.stream(v.split(",")).map(String::strip).map(SafeName::checkVmName).toList());
        Manifest m = existing(args, store);
        List<VmPart> parts = m.vms().stream().filter(p -> only.map(o -> o.contains(p.name())).orElse(true)).toList();
        if (parts.isEmpty()) {
            throw new CliException(CliException.CONFLICT, "snapshot " + m.id() + " has none of the VMs " + only.orElse(List.of()));
        }
        if (clone.isPresent() && parts.size() != 1) {
            throw new CliException(CliException.USAGE, "--as-clone names one VM: choose it with --vms");
        }
        VmRestore restorer = new VmRestore(Timeouts.defaults());
        // Every VM is checked before any is touched; then all are loaded and resumed together.
        List<VmRestore.Plan> plans = new ArrayList<>();
        for (VmPart part : parts) {
            plans.add(restorer.plan(m.id(), store.partDir(m.id(), part.name()), part, clone));
        }
        List<RestoredVm> restored = restorer.restoreTogether(plans);
        restored.forEach(r -> printer.note("restored " + r.fromVm() + (r.name().equals(r.fromVm()) ? "" : " as " + r.name())));
        if (json) {
            printer.json(Map.of("id", m.id(), "vms", restored));
        } else {
            restored.forEach(r -> printer.text(String.format("%s running again (pid %d), memory loaded in %.0f ms", r.name(), r.pid(), r.loadMs())));
        }
        return 0;
    }

    private static Manifest existing(Args args, SnapshotStore store) {
        args.rejectUnknown();
        if (args.positional().size() != 1) {
            throw new CliException(CliException.USAGE, "a snapshot ID is required");
        }
        String id = SafeName.check("snapshot ID", args.positional().get(0));
        try {
            return store.read(id).orElseThrow(() -> new CliException(CliException.CONFLICT, "no snapshot '" + id + "' in " + store.root()));
        } catch (java.io.UncheckedIOException e) {
            throw new CliException(CliException.CONFLICT, e.getMessage());
        }
    }

    private static void print(SnapshotSummary s, boolean json, ResultPrinter printer) {
        if (json) {
            printer.json(s);
        } else {
            printer.text(s.line());
        }
    }
}
