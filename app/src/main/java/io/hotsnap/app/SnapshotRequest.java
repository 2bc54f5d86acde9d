package io.hotsnap.app;

import io.hotsnap.coordinator.ClusterOptions;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.snapshot.DiskMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the snapshot dialog asks for, and the sentence that confirms it.
 *
 * @param store the agents' snapshot directory, or blank for each host's default
 */
public record SnapshotRequest(ClusterMode mode, DiskMode diskMode, String store) {

    public ClusterOptions options() {
        ClusterOptions o = ClusterOptions.defaults().withMode(mode).withDiskMode(diskMode);
        return store == null || store.isBlank() ? o : o.withStore(store.strip());
    }

    /**
     * Why the store cannot be asked for, in one line; null when it can (blank: each host's default).
     * Each agent resolves the path on its own host, so only an absolute, plain path means the same everywhere.
     */
    public String storeProblem() {
        if (store == null || store.isBlank()) {
            return null;
        }
        String s = store.strip();
        if (s.chars().anyMatch(Character::isISOControl)) {
            return "Store refused: it contains a control character.";
        }
        if (!s.startsWith("/")) {
            return "Store '" + s + "' refused: give an absolute path (each host would resolve it from its own working directory).";
        }
        if (!java.nio.file.Path.of(s).normalize().toString().equals(s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s)) {
            return "Store '" + s + "' refused: it has '.' or '..' or '//' in it; give the plain path.";
        }
        return null;
    }

    /** Names every VM and host and what the mode will do to them, so that "OK" is an informed click. */
    public String confirmation(List<VmEntry> vms) {
        Map<String, List<String>> byHost = vms.stream().collect(Collectors.groupingBy(VmEntry::host,
                java.util.LinkedHashMap::new, Collectors.mapping(VmEntry::name, Collectors.toList())));
        StringBuilder text = new StringBuilder(String.format("Take one %s snapshot of %d VM%s:%n", mode.cliName(), vms.size(),
                vms.size() == 1 ? "" : "s"));
        byHost.forEach((host, names) -> text.append("  ").append(host).append(": ").append(String.join(", ", names)).append('\n'));
        text.append('\n').append(effect()).append('\n');
        text.append(switch (diskMode) {
            case COPY -> "Disks are copied at the snapshot point.";
            case OVERLAY -> "Disks are kept as they were at the snapshot point; each VM goes on writing to a new overlay.";
            case NONE -> "Disks are not included (memory and device state only).";
        }).append(' ')
                .append("Files go to ").append(store == null || store.isBlank() ? "each host's default store" : store.strip())
                .append("; memory images are readable by root only.");
        if (storeProblem() != null) {
            text.append("\n\n").append(storeProblem());
        }
        List<String> warnings = vms.stream().filter(v -> !v.eligible())
                .map(v -> v + ": " + String.join("; ", v.problems())).toList();
        if (!warnings.isEmpty()) {
            text.append("\n\nThe agents will refuse, before touching anything:\n  ").append(String.join("\n  ", warnings));
        }
        return text.toString();
    }

    private String effect() {
        return switch (mode) {
            case HOLD -> "Traffic into each VM is held (queued, not dropped) from just before the first pause until that VM "
                    + "has paused; each VM pauses for milliseconds, then its memory is copied in the background.";
            case BARRIER -> "Every VM is paused before any is snapshotted (at most 2 s), then all resume; memory is copied "
                    + "in the background.";
            case INDEPENDENT -> "Each VM pauses for milliseconds at about the same time; the network is not controlled, so "
                    + "packets may cross the cut.";
            case PRECOPY -> "Baseline: live migration to a file, frames across the cut are dropped; the VMs pause at the end of "
                    + "the copy.";
            case STOPCOPY -> "Baseline: every VM stays paused for its whole memory copy.";
        };
    }
}
