package io.hotsnap.snapshot;

/** What a snapshot in progress reports, for the CLI's progress lines and (later) the console's charts. */
public sealed interface SnapshotEvent {

    String vm();

    /** A step began or ended; {@code atMicros} is host wall-clock µs (QEMU's own for STOP/RESUME). */
    record Phase(String vm, SnapshotPhase phase, long atMicros) implements SnapshotEvent {
    }

    /** The full snapshot's progress: memory written so far out of the guest's RAM, and the rate. */
    record Progress(String vm, long memoryDone, long memoryTotal, long bytesPerSecond) implements SnapshotEvent {
    }
}
