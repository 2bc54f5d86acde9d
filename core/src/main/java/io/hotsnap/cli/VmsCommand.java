package io.hotsnap.cli;

import io.hotsnap.agent.HostVmSources;
import io.hotsnap.host.HostPaths;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.DiskInfo;
import io.hotsnap.vm.NicInfo;
import io.hotsnap.vm.VmInfo;
import io.hotsnap.vm.VmInventory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hotsnap vms}: this host's QEMU VMs, found through their QMP sockets, with QEMU's own {@code -name} beside each. */
@Command(name = "vms", mixinStandardHelpOptions = true,
        description = "List this host's VMs: QMP sockets in the socket directory, libvirt domains, Proxmox VMs.")
final class VmsCommand implements Callable<Integer> {

    private final ResultPrinter printer;
    @Mixin
    private JsonOption json;

    VmsCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        VmInventory.Survey survey = new VmInventory(HostVmSources.of(HostPaths.socketDir(), Timeouts.defaults()), Timeouts.defaults()).survey();
        survey.unavailable().forEach(printer::note);
        List<VmInfo> vms = survey.vms();
        if (json.json) {
            printer.json(Map.of("vms", vms));
            return 0;
        }
        if (vms.isEmpty()) {
            printer.text("no VMs found (QMP sockets in " + HostPaths.socketDir() + ", libvirt, Proxmox)");
            return 0;
        }
        printer.text(String.format("%-12s %-12s %-8s %-8s %-11s %7s %-7s %-30s %s", "NAME", "QEMU-NAME", "SOURCE", "PID", "STATE", "MEMORY", "QEMU",
                "DISKS", "NICS"));
        for (VmInfo vm : vms) {
            String qemuName = vm.qemuName() == null ? "-" : vm.qemuName();
            if (vm.error() != null || vm.memoryBytes() == null) {
                printer.text(String.format("%-12s %-12s %-8s %-8s %-11s %s", vm.name(), qemuName, vm.source(), vm.pid() == null ? "-" : vm.pid(),
                        vm.state(), vm.error() == null ? "" : vm.error()));
                continue;
            }
            printer.text(String.format("%-12s %-12s %-8s %-8s %-11s %5dMi %-7s %-30s %s", vm.name(), qemuName, vm.source(),
                    vm.pid() == null ? "-" : vm.pid(), vm.state(),
                    vm.memoryBytes() >> 20, vm.qemuVersion(),
                    vm.disks().stream().map(VmsCommand::disk).collect(Collectors.joining(" ")),
                    vm.nics().stream().map(VmsCommand::nic).collect(Collectors.joining(" "))));
        }
        return 0;
    }

    private static String disk(DiskInfo d) {
        return d.nodeName() + "(" + d.format() + "," + (d.sizeBytes() >> 20) + "Mi)";
    }

    private static String nic(NicInfo n) {
        return n.id() + "(" + n.backend() + (n.vhost() ? ",vhost" : "") + ")";
    }
}
