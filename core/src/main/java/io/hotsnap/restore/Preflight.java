package io.hotsnap.restore;

import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.VmPart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything checked before a restore touches anything: every file of the part present, of the
 * recorded size and checksum. A restore that would fail half-way must fail here instead.
 */
public final class Preflight {

    private Preflight() {
    }

    /** @return every problem found, each a line for the administrator; empty when the part can be restored */
    static List<String> problems(Path partDir, VmPart part) {
        List<String> problems = fileProblems(partDir, part);
        if (part.cmdline().isEmpty()) {
            problems.add(part.name() + ": no QEMU command line was recorded, so the VM cannot be started again");
        }
        return problems;
    }

    /** The part's memory image and disk copies: each present, of its recorded size and checksum. */
    public static List<String> fileProblems(Path partDir, VmPart part) {
        List<String> problems = new ArrayList<>();
        check(partDir, part.name(), "memory image", part.memory(), problems);
        for (DiskCopy disk : part.disks()) {
            check(partDir, part.name(), "disk " + disk.device(), disk.image(), problems);
        }
        return problems;
    }

    private static void check(Path partDir, String vm, String what, SnapshotFile f, List<String> problems) {
        Path file = f.resolve(partDir);
        try {
            if (!Files.isRegularFile(file)) {
                problems.add(vm + ": " + what + " " + file + " is missing");
            } else if (Files.size(file) != f.bytes()) {
                problems.add(vm + ": " + what + " " + file + " has " + Files.size(file) + " bytes, the snapshot recorded " + f.bytes());
            } else if (!SnapshotFile.sha256(file).equals(f.sha256())) {
                problems.add(vm + ": " + what + " " + file + " was altered (SHA-256 differs from the snapshot's)");
            }
        } catch (IOException e) {
            problems.add(vm + ": cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }
}
