package io.hotsnap.snapshot;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * A step of one VM's snapshot that {@link SnapshotEvent.Phase} reports. On the wire (an agent
 * event's {@code data.phase}, recorded {@code report.json}) each keeps the name it has always had.
 */
public enum SnapshotPhase {
    /** QEMU's STOP: the VM's snapshot point. */
    STOP("STOP"),
    /** QEMU's RESUME: the guest runs again. */
    RESUME("RESUME"),
    /** The transient snapshot is over: disks fixed, memory copy started, guest running. */
    TRANSIENT_DONE("transient-done"),
    /** The full snapshot is written and synced: the background copy is over. */
    FULL_DONE("full-done");

    private final String wireName;

    SnapshotPhase(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The phase a wire name stands for; empty for a name this build does not know. */
    public static Optional<SnapshotPhase> ofWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
