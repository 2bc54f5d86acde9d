package io.hotsnap.protocol;

import io.hotsnap.snapshot.SnapshotMode;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the VMs' snapshots are made one cut (DESIGN §4), and how each VM's own snapshot is taken.
 */
public enum ClusterMode {
    /**
     * The default: each VM held as in {@link #HOLD} where the hold can see its inbound traffic, else
     * paused before the cut as in {@link #BARRIER}; one cut either way (see {@link Coverage}).
     */
    AUTO(SnapshotMode.HOTSNAP),
    /** HotSnap: every VM's inbound traffic held before any pauses, released per VM after its transient snapshot. */
    HOLD(SnapshotMode.HOTSNAP),
    /** Every VM paused before any snapshot point, each resumed after its own: no network control, longer pauses. */
    BARRIER(SnapshotMode.HOTSNAP),
    /** The paper's timing alone, no network control: consistency is reported, not guaranteed. */
    INDEPENDENT(SnapshotMode.HOTSNAP),
    /** Live migration to a file per VM (VNsnap-like); packets from VMs past their point into VMs before theirs are dropped. */
    PRECOPY(SnapshotMode.PRECOPY),
    /** savevm-like: each VM paused for its whole copy; the same drops keep the cut consistent. */
    STOPCOPY(SnapshotMode.STOPCOPY);

    private final SnapshotMode vmMode;

    ClusterMode(SnapshotMode vmMode) {
        this.vmMode = vmMode;
    }

    /** How each VM's own snapshot is taken in this mode. */
    public SnapshotMode vmMode() {
        return vmMode;
    }

    /** Whether packets crossing the cut are dropped (the baselines' way to stay consistent). */
    public boolean dropsAcrossCut() {
        return this == PRECOPY || this == STOPCOPY;
    }

    public String cliName() {
        return name().toLowerCase();
    }

    public static ClusterMode parse(String s) {
        return Arrays.stream(values()).filter(m -> m.cliName().equals(s)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "--mode must be one of " + Arrays.stream(values()).map(ClusterMode::cliName).collect(Collectors.joining(", "))
                        + ", not '" + s + "'"));
    }
}
