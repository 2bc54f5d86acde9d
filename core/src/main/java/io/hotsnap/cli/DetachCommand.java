package io.hotsnap.cli;

import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskDetach;
import io.hotsnap.vm.VmEndpoint;
import io.hotsnap.vm.VmSourceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hotsnap detach VM}: the VM's disks stop using the store's snapshots (streamed into its overlays) while it runs. */
@Command(name = "detach", mixinStandardHelpOptions = true,
        description = "Stream a running VM's disks off the store's snapshots, so that those can be deleted.")
final class DetachCommand implements Callable<Integer> {

    private final ResultPrinter printer;
    @Parameters(paramLabel = "VM", description = "the VM, by name")
    private String vm;
    @Mixin
    private StoreOption store;
    @Mixin
    private JsonOption json;

    DetachCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        VmEndpoint endpoint;
        try {
            endpoint = StoreReads.hostVms().find(vm).endpoint();
        } catch (VmSourceException e) {
            throw new CliException(ExitCode.CONFLICT, e.getMessage());
        }
        Path root = store.store().root();
        List<DiskDetach.Detached> detached = new DiskDetach(Timeouts.defaults()).detach(vm, endpoint, root);
        if (json.json) {
            printer.json(Map.of("vm", vm, "detached", detached));
        } else if (detached.isEmpty()) {
            printer.text(vm + " uses no snapshot of " + root + ": nothing to detach");
        } else {
            detached.forEach(d -> printer.text(vm + ": disk " + d.disk() + " no longer uses " + String.join(", ", d.files())));
        }
        return 0;
    }
}
