package io.hotsnap.cli;

import io.hotsnap.host.SafeName;
import io.hotsnap.restore.RestoreChoice;
import io.hotsnap.restore.RestoredVm;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hotsnap restore ID}: every VM checked before any is touched; then all are loaded and resumed together. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Bring the VMs back to a snapshot: every VM checked, loaded paused, resumed together.")
final class RestoreCommand implements Callable<Integer> {

    private final ResultPrinter printer;
    @Parameters(paramLabel = "ID", description = "the snapshot")
    private String id;
    @Option(names = "--vms", paramLabel = "NAME", split = ",", description = "only these VMs of the snapshot (default: all)")
    private List<String> vms;
    @Option(names = "--as-clone", paramLabel = "NAME", description = "restore the one VM chosen with --vms beside the original, as NAME")
    private String asClone;
    @Option(names = "--persistent", description = "with --as-clone of a libvirt domain: libvirt keeps the clone defined after it stops"
            + " (default: a transient domain, gone once it stops)")
    private boolean persistent;
    @Mixin
    private StoreOption store;
    @Mixin
    private JsonOption json;

    RestoreCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        Optional<String> clone = Optional.ofNullable(asClone).map(name -> SafeName.check("clone name", name));
        if (persistent && clone.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--persistent is for a clone (--as-clone NAME): in place, a domain stays as persistent as it is");
        }
        Optional<List<String>> only = Optional.ofNullable(vms).map(v -> Values.names(v).stream().map(SafeName::checkVmName).toList());
        SnapshotStore snapshots = store.store();
        Manifest m = StoreReads.existing(id, snapshots);
        List<VmPart> parts = m.vms().stream().filter(p -> only.map(o -> o.contains(p.name())).orElse(true)).toList();
        if (parts.isEmpty()) {
            throw new CliException(ExitCode.CONFLICT, "snapshot " + m.id() + " has none of the VMs " + only.orElse(List.of()));
        }
        if (clone.isPresent() && parts.size() != 1) {
            throw new CliException(ExitCode.USAGE, "--as-clone names one VM: choose it with --vms");
        }
        VmRestore restorer = new VmRestore(Timeouts.defaults());
        List<VmRestore.Plan> plans = new ArrayList<>();
        for (VmPart part : parts) {
            RestoreChoice choice = clone.map(n -> new RestoreChoice(part.name(), n, persistent)).orElse(RestoreChoice.inPlace(part.name()));
            plans.add(restorer.plan(m.id(), snapshots.partDir(m.id(), part.name()), part, choice));
        }
        List<RestoredVm> restored = restorer.restoreTogether(plans);
        restored.forEach(r -> printer.note("restored " + r.fromVm() + (r.name().equals(r.fromVm()) ? "" : " as " + r.name())));
        if (json.json) {
            printer.json(Map.of("id", m.id(), "vms", restored));
        } else {
            restored.forEach(r -> printer.text(String.format("%s running again (pid %d), memory loaded in %.0f ms", r.name(), r.pid(), r.loadMs())));
        }
        return 0;
    }
}
