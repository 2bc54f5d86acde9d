package io.hotsnap.app;

import io.hotsnap.coordinator.ClusterOptions;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.Coverage;
import io.hotsnap.snapshot.DiskMode;
import io.hotsnap.vm.HotEligibility;
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
        if (mode == ClusterMode.AUTO) {
            vms.forEach(v -> Coverage.of(mode, v.info()).ifPresent(c -> text.append("  ").append(v).append(": ").append(c.text()).append('\n')));
        }
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
        List<String> warnings = vms.stream().map(this::refusal).filter(w -> !w.isEmpty()).map(w -> String.join("; ", w)).toList();
        if (!warnings.isEmpty()) {
            text.append("\n\nThe agents will refuse, before touching anything:\n  ").append(String.join("\n  ", warnings));
        }
        return text.toString();
    }

    /** What the agents will refuse of {@code vm} in this mode, with the VM's name first; empty if nothing. */
    private List<String> refusal(VmEntry vm) {
        List<String> problems = new java.util.ArrayList<>(vm.problems());
        if (mode == ClusterMode.HOLD) {
            HotEligibility.holdRefusal(vm.info()).ifPresent(problems::add);
        }
        return problems.isEmpty() ? List.of() : List.of(vm + ": " + String.join("; ", problems));
    }

    private String effect() {
        return switch (mode) {
            case AUTO -> "Traffic into each VM is held (queued, not dropped) until that VM has paused, as in hold mode; a VM "
                    + "whose traffic the hold cannot see (vhost-net, vhost-user, a passed-through NIC) is instead paused before "
                    + "any VM's snapshot point (at most 2 s), as in barrier mode. One consistent cut either way; per VM:";
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
