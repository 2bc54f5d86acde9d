package io.hotsnap.snapshot;

import io.hotsnap.qmp.MigrationCapabilityStatus;
import io.hotsnap.qmp.MigrationInfo;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a VM can be snapshotted, decided before anything is touched. Each reason is phrased for
 * the administrator and names what to change (QEMU's own words where it has them).
 */
final class Eligibility {

    /** Capabilities QEMU refuses together with {@code background-snapshot} (migration.c). */
    private static final Set<String> CLASHING = Set.of("postcopy-ram", "dirty-bitmaps", "postcopy-blocktime",
            "late-block-activate", "return-path", "multifd", "pause-before-switchover", "auto-converge",
            "release-ram", "rdma-pin-all", "compress", "xbzrle", "x-colo", "validate-uuid", "zero-copy-send");

    private Eligibility() {
    }

    /**
     * @param capabilities {@code query-migrate-capabilities}
     * @param migration    {@code query-migrate}
     * @return every reason the VM is not eligible; empty if it is
     */
    static List<String> problems(SnapshotMode mode, List<MigrationCapabilityStatus> capabilities, MigrationInfo migration,
                                 Optional<QemuProcess> process,
                                 String kernelRelease, Path store, long bytesNeeded, String qemuVersion) {
        List<String> problems = new ArrayList<>();
        String status = migration.statusOrNone();
        if (Set.of("setup", "active", "pre-switchover", "device", "postcopy-active", "cancelling").contains(status)) {
            problems.add("a migration is already in progress (status " + status + ")");
        }
        if (mode == SnapshotMode.HOTSNAP) {
            boolean supported = false;
            for (MigrationCapabilityStatus cap : capabilities) {
                String name = cap.capability();
                supported |= name.equals("background-snapshot");
                if (CLASHING.contains(name) && cap.state()) {
                    problems.add("migration capability '" + name + "' is enabled, and QEMU refuses it with background-snapshot");
                }
            }
            if (!supported) {
                problems.add("QEMU " + qemuVersion + " has no background-snapshot (needs QEMU 6.0 or later)");
            }
            if (!Versions.atLeast(kernelRelease, 5, 7).orElse(false)) {
                problems.add("kernel " + kernelRelease + " lacks userfaultfd write-protect (needs Linux 5.7 or later)");
            }
            process.ifPresent(p -> {
                if (p.uid() != 0 && unprivilegedUserfaultfd() == 0) {
                    problems.add("QEMU runs as uid " + p.uid() + " and vm.unprivileged_userfaultfd is 0: "
                            + "set it with 'sysctl vm.unprivileged_userfaultfd=1' (else: Background-snapshot is not supported by host kernel)");
                }
            });
        }
        process.ifPresent(p -> {
            if (p.cmdline().stream().anyMatch(a -> a.contains("vfio-pci") || a.contains("vfio-platform"))) {
                problems.add("the VM has a VFIO device passed through, whose state QEMU cannot snapshot");
            }
        });
        try {
            Files.createDirectories(store);
            long free = Files.getFileStore(store).getUsableSpace();
            if (free < bytesNeeded) {
                problems.add(String.format("not enough free space in %s: %d MiB needed (memory + disks), %d MiB free",
                        store, bytesNeeded >> 20, free >> 20));
            }
        } catch (IOException e) {
            problems.add("cannot use the snapshot store " + store + ": " + e.getMessage());
        }
        return problems;
    }

    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    private static int unprivilegedUserfaultfd() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/vm/unprivileged_userfaultfd")).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
