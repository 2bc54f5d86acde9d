package io.hotsnap.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.HostPaths;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.snapshot.VmPart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Whether a snapshot can be trusted with what a restore does as root (run its recorded command
 * line, load its memory): its store, snapshot and part directories are the running user's and
 * writable by no one else, and the manifest's part is what the part's own {@code part.json} says.
 * Anyone else who can write there could have swapped a file or a command line in.
 */
final class StoreTrust {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Group- or other-writable: S_IWGRP | S_IWOTH. */
    private static final int WRITABLE_BY_OTHERS = 0022;

    private StoreTrust() {
    }

    /** The two checks, for the part kept in {@code partDir} (inside {@code STORE/ID/}). */
    static List<PreflightCheck> checks(Path partDir, VmPart part) {
        return List.of(ownership(partDir, part.name()), partRecord(partDir, part));
    }

    private static PreflightCheck ownership(Path partDir, String vm) {
        int me = HostPaths.uid();
        List<String> problems = new ArrayList<>();
        Path snapshotDir = partDir.getParent();
        for (Path dir : List.of(snapshotDir.getParent(), snapshotDir, partDir)) {
            try {
                if (Files.isSymbolicLink(dir)) {
                    problems.add(dir + " is a symbolic link");
                    continue;
                }
                int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if (owner != me) {
                    problems.add(dir + " is owned by uid " + owner + ", not by uid " + me + " that restores");
                }
                if ((mode & WRITABLE_BY_OTHERS) != 0) {
                    problems.add(String.format("%s is writable by %s (mode %o)", dir, (mode & 0002) != 0 ? "others" : "its group", mode & 07777));
                }
            } catch (IOException | UnsupportedOperationException e) {
                problems.add("cannot read the owner and mode of " + dir + ": " + e.getMessage());
            }
        }
        return problems.isEmpty()
                ? PreflightCheck.pass(PreflightCheck.OWNERSHIP, vm, "store, snapshot and part directories are uid " + me + "'s, writable by no one else")
                : PreflightCheck.fail(PreflightCheck.OWNERSHIP, vm, String.join("; ", problems) + ": refused, its files could have been swapped");
    }

    private static PreflightCheck partRecord(Path partDir, VmPart part) {
        String vm = part.name();
        Path file = partDir.resolve(SnapshotStore.PART);
        try {
            JsonNode own = JSON.valueToTree(JSON.readValue(file.toFile(), VmPart.class));
            JsonNode manifests = JSON.valueToTree(part);
            if (own.equals(manifests)) {
                return PreflightCheck.pass(PreflightCheck.PART_RECORD, vm, file + " agrees with the manifest");
            }
            List<String> differ = new ArrayList<>();
            for (Iterator<String> names = manifests.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!manifests.get(name).equals(own.get(name))) {
                    differ.add(name);
                }
            }
            return PreflightCheck.fail(PreflightCheck.PART_RECORD, vm, file + " disagrees with the manifest on " + String.join(", ", differ));
        } catch (IOException e) {
            return PreflightCheck.fail(PreflightCheck.PART_RECORD, vm, "cannot read " + file + ": "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }
}
