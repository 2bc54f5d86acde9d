package io.hotsnap.cli;

import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.VmPart;
import java.util.List;

/** The {@code --json} result of {@code snapshot}, {@code list} and {@code show}: the contract scripts and benchmarks read. */
record SnapshotSummary(String id, String status, String mode, String diskMode, long createdAt, List<Vm> vms) {

    record Vm(String name, double downtimeMs, double transientMs, double fullMs, long memoryBytes, long diskBytes,
              long stopAt, long resumeAt) {
    }

    static SnapshotSummary of(Manifest m) {
        return new SnapshotSummary(m.id(), m.status(), m.mode(), m.diskMode(), m.createdAt(), m.vms().stream().map(SnapshotSummary::vm).toList());
    }

    private static Vm vm(VmPart p) {
        return new Vm(p.name(), p.downtimeMs(), p.transientMs(), p.fullMs(), p.memory().bytes(), p.diskBytes(), p.stopAt(), p.resumeAt());
    }

    void print(ResultPrinter printer, boolean json) {
        if (json) {
            printer.json(this);
        } else {
            printer.text(line());
        }
    }

    String line() {
        StringBuilder sb = new StringBuilder(String.format("%s  %-9s %-8s %-7s", id, status, mode, diskMode));
        for (Vm vm : vms) {
            sb.append(String.format("  %s: down %.1f ms, full %.0f ms, %d MiB", vm.name(), vm.downtimeMs(), vm.fullMs(),
                    (vm.memoryBytes() + vm.diskBytes()) >> 20));
        }
        return sb.toString();
    }
}
