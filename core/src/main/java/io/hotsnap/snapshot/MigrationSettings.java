package io.hotsnap.snapshot;

import io.hotsnap.qmp.MigrationCapabilityStatus;
import io.hotsnap.qmp.MigrationParameters;
import io.hotsnap.qmp.QmpCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The migration capabilities and parameters a snapshot changes in QEMU, as they were before it, and how it sets them. */
final class MigrationSettings {

    /** The capabilities a snapshot changes. */
    private static final List<String> CHANGED = List.of("events", "background-snapshot", "pause-before-switchover", "auto-converge");

    private final Map<String, Boolean> capabilitiesBefore = new LinkedHashMap<>();
    private final Long bandwidthBefore;

    /**
     * @param capabilities {@code query-migrate-capabilities} before the snapshot
     * @param parameters   {@code query-migrate-parameters} before the snapshot
     */
    MigrationSettings(List<MigrationCapabilityStatus> capabilities, MigrationParameters parameters) {
        for (MigrationCapabilityStatus cap : capabilities) {
            // Only a snapshot's own migration uses background-snapshot, and the eligibility check has
            // just seen none running: found on, it is what a killed agent could not undo, and it is
            // left off afterwards (on, it would turn the next live migration into a snapshot).
            capabilitiesBefore.put(cap.capability(), !cap.capability().equals("background-snapshot") && cap.state());
        }
        bandwidthBefore = parameters.maxBandwidth() == null ? 0L : parameters.maxBandwidth();
    }

    /** The capabilities a snapshot changes, as they were before it. */
    Map<String, Boolean> toRestore() {
        Map<String, Boolean> back = new LinkedHashMap<>();
        for (String cap : CHANGED) {
            if (capabilitiesBefore.containsKey(cap)) {
                back.put(cap, capabilitiesBefore.get(cap));
            }
        }
        return back;
    }

    /** Sets what {@code mode} needs, and reads the capabilities back. */
    void applyFor(SnapshotMode mode, SnapshotContext vm) {
        // auto-converge: QEMU throttles a guest that dirties memory faster than the copy goes,
        // as live-migration-based snapshot tools do; without it a busy guest on a busy host
        // never reaches its final stop (measured: 3 guests dirtying 20 MiB/s under TCG).
        Map<String, Boolean> wanted = Map.of(
                "events", true,
                "background-snapshot", mode == SnapshotMode.HOTSNAP,
                "pause-before-switchover", mode == SnapshotMode.PRECOPY,
                "auto-converge", mode == SnapshotMode.PRECOPY);
        setCapabilities(wanted, vm);
        confirmCapabilities(wanted, vm);
        // Unlimited bandwidth: the default 128 MiB/s cap would slow every mode's copy alike.
        vm.call(QmpCommands.migrateSetParameters(new MigrationParameters(Long.MAX_VALUE >> 1)));
    }

    void restore(SnapshotContext vm) {
        setCapabilities(toRestore(), vm);
        vm.call(QmpCommands.migrateSetParameters(new MigrationParameters(bandwidthBefore)));
    }

    /**
     * Read back before any pause: a {@code migrate} without {@code background-snapshot} is a live
     * migration that ends with the guest paused (seen with a QEMU that libvirt had just restored).
     */
    private static void confirmCapabilities(Map<String, Boolean> wanted, SnapshotContext vm) {
        Map<String, Boolean> now = new LinkedHashMap<>();
        for (MigrationCapabilityStatus cap : vm.call(QmpCommands.queryMigrateCapabilities())) {
            now.put(cap.capability(), cap.state());
        }
        wanted.forEach((cap, state) -> {
            if (!state.equals(now.get(cap))) {
                throw new IllegalStateException("QEMU did not keep migration capability '" + cap + "' " + (state ? "on" : "off"));
            }
        });
    }

    private static void setCapabilities(Map<String, Boolean> caps, SnapshotContext vm) {
        List<MigrationCapabilityStatus> list = new ArrayList<>();
        caps.forEach((k, v) -> list.add(new MigrationCapabilityStatus(k, v)));
        vm.call(QmpCommands.migrateSetCapabilities(list));
    }
}
