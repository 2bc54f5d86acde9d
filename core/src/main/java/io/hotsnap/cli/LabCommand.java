package io.hotsnap.cli;

import io.hotsnap.lab.GuestImage;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.LabException;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code hotsnap lab up|down|status}: the local lab of real QEMU guests. */
final class LabCommand implements Command {

    @Override
    public String name() {
        return "lab";
    }

    @Override
    public String summary() {
        return "up [--vms N] [--mem MiB] [--accel kvm|tcg|auto] [--dirty MiB/s] [--dir DIR] [--kernel FILE] | down | status | guest";
    }

    @Override
    public int run(List<String> words, ResultPrinter printer) {
        Args args = Args.parse(words, Set.of("json"));
        if (args.positional().size() != 1) {
            throw new CliException(CliException.USAGE, "usage: hotsnap lab " + summary());
        }
        boolean json = args.flag("json");
        LabConfig config = LabConfig.defaults();
        Optional<String> dir = args.option("dir");
        if (dir.isPresent()) {
            config = config.withDir(Path.of(dir.get()).toAbsolutePath());
        }
        String action = args.positional().get(0);
        if (action.equals("up") || action.equals("guest")) {
            config = config.withVms(args.intOption("vms", LabConfig.DEFAULT_VMS, 1, 16))
                    .withMemoryMiB(args.intOption("mem", LabConfig.DEFAULT_MEMORY_MIB, 64, 8192))
                    .withAccel(accel(args.option("accel").orElse("auto")))
                    .withDirtyMiBps(args.intOption("dirty", 0, 0, 1000))
                    .withKernel(args.option("kernel").map(k -> Path.of(k).toAbsolutePath()));
        }
        args.rejectUnknown();
        Lab lab = new Lab(config, Timeouts.defaults());
        try {
            switch (action) {
                case "up" -> print(lab.up(printer::note), json, printer);
                case "down" -> {
                    lab.down(printer::note);
                    if (json) {
                        printer.json(Map.of("vms", List.of()));
                    }
                }
                case "status" -> print(lab.status(), json, printer);
                case "guest" -> {
                    GuestImage image = GuestImage.ensure(config.guestCache(), config.kernel());
                    if (json) {
                        printer.json(image);
                    } else {
                        printer.text("Linux " + image.kernelVersion() + ": " + image.vmlinux() + ", " + image.initrd());
                    }
                }
                default -> throw new CliException(CliException.USAGE, "unknown lab action '" + action + "' (up, down, status)");
            }
        } catch (LabException e) {
            throw new CliException(exitCode(e.kind()), e.getMessage());
        }
        return 0;
    }

    private static String accel(String raw) {
        if (!Set.of("kvm", "tcg", "auto").contains(raw)) {
            throw new CliException(CliException.USAGE, "--accel must be kvm, tcg or auto, not '" + raw + "'");
        }
        return raw;
    }

    private static int exitCode(LabException.Kind kind) {
        return switch (kind) {
            case CONFLICT -> CliException.CONFLICT;
            case MISSING -> CliException.MISSING;
            case FAILED -> CliException.FAILED;
        };
    }

    private static void print(List<LabVmStatus> vms, boolean json, ResultPrinter printer) {
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
