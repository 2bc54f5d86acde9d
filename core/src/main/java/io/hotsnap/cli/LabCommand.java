package io.hotsnap.cli;

import io.hotsnap.lab.GuestImage;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hotsnap lab up|down|status|guest}: the local lab of real QEMU guests. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "The local lab: tiny Linux guests under QEMU on a network that never leaves this machine.")
final class LabCommand implements java.util.concurrent.Callable<Integer> {

    private final ResultPrinter printer;
    @Spec
    private CommandSpec spec;

    LabCommand(ResultPrinter printer) {
        this.printer = printer;
    }

    @Override
    public Integer call() {
        throw HotsnapCli.noSubcommand(spec);
    }

    /** Where the lab keeps its state. */
    static final class DirOption {
        @Option(names = "--dir", paramLabel = "DIR", description = "the lab's directory (default: the lab's own)")
        Path dir;

        LabConfig config() {
            return dir == null ? LabConfig.defaults() : LabConfig.defaults().withDir(dir.toAbsolutePath());
        }
    }

    /** What the guests are: for {@code up} and {@code guest}. */
    static final class GuestOptions {
        @Option(names = "--count", paramLabel = "N", defaultValue = "" + LabConfig.DEFAULT_VMS,
                description = "how many VMs, 1-16 (default ${DEFAULT-VALUE})")
        int count;
        @Option(names = "--mem", paramLabel = "MiB", defaultValue = "" + LabConfig.DEFAULT_MEMORY_MIB,
                description = "memory per VM, 64-8192 (default ${DEFAULT-VALUE})")
        int mem;
        @Option(names = "--accel", paramLabel = "kvm|tcg|auto", defaultValue = "auto",
                description = "accelerator; auto takes KVM only where it really works (default ${DEFAULT-VALUE})")
        String accel;
        @Option(names = "--dirty", paramLabel = "MiB/s", defaultValue = "0", description = "memory each guest dirties, 0-1000 (default ${DEFAULT-VALUE})")
        int dirty;
        @Option(names = "--kernel", paramLabel = "FILE", description = "a guest kernel of your own (default: Debian's, downloaded once)")
        Path kernel;

        LabConfig apply(LabConfig config) {
            if (!Set.of("kvm", "tcg", "auto").contains(accel)) {
                throw new CliException(ExitCode.USAGE, "--accel must be kvm, tcg or auto, not '" + accel + "'");
            }
            return config.withVms(Values.between("--count", count, 1, 16))
                    .withMemoryMiB(Values.between("--mem", mem, 64, 8192))
                    .withAccel(accel)
                    .withDirtyMiBps(Values.between("--dirty", dirty, 0, 1000))
                    .withKernel(java.util.Optional.ofNullable(kernel).map(Path::toAbsolutePath));
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Boot the lab's guests and print them.")
    int up(@Mixin DirOption dir, @Mixin GuestOptions guests, @Mixin JsonOption json) {
        print(new Lab(guests.apply(dir.config()), Timeouts.defaults()).up(printer::note), json.json);
        return 0;
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the guests and remove everything the lab made.")
    int down(@Mixin DirOption dir, @Mixin JsonOption json) {
        new Lab(dir.config(), Timeouts.defaults()).down(printer::note);
        if (json.json) {
            printer.json(Map.of("vms", List.of()));
        }
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Name, pid, address, run state and accelerator of each guest.")
    int status(@Mixin DirOption dir, @Mixin JsonOption json) {
        print(new Lab(dir.config(), Timeouts.defaults()).status(), json.json);
        return 0;
    }

    @Command(name = "guest", mixinStandardHelpOptions = true, description = "Build (and cache) the guest image alone.")
    int guest(@Mixin DirOption dir, @Mixin GuestOptions guests, @Mixin JsonOption json) {
        LabConfig config = guests.apply(dir.config());
        GuestImage image = GuestImage.ensure(config.guestCache(), config.kernel());
        if (json.json) {
            printer.json(image);
        } else {
            printer.text("Linux " + image.kernelVersion() + ": " + image.vmlinux() + ", " + image.initrd());
        }
        return 0;
    }

    private void print(List<LabVmStatus> vms, boolean json) {
        if (json) {
            printer.json(Map.of("vms", vms));
            return;
        }
        if (vms.isEmpty()) {
            printer.text("no lab is up");
            return;
        }
        printer.text(String.format("%-10s %-8s %-12s %-9s %-5s %s", "NAME", "PID", "IP", "STATE", "ACCEL", "QMP"));
        for (LabVmStatus vm : vms) {
            printer.text(String.format("%-10s %-8d %-12s %-9s %-5s %s", vm.name(), vm.pid(), vm.ip(), vm.state(), vm.accel(), vm.qmp()));
        }
    }
}
