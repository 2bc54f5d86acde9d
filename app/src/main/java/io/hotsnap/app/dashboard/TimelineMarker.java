package io.hotsnap.app.dashboard;

import io.hotsnap.protocol.EventKind;

/** A STOP (the VM's snapshot point) or RESUME on the timeline, ms from the snapshot's first event. */
public record TimelineMarker(String host, String vm, EventKind kind, double atMs) {
}
