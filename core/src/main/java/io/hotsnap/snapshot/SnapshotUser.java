package io.hotsnap.snapshot;

import java.util.List;

/**
 * Something running on this host that uses a snapshot's files: a VM whose disk chain names them
 * (a restored clone, an in-place restore) or another process holding them open.
 *
 * @param name  the VM's name, or {@code process PID (COMM)} for a process no VM source knows
 * @param files the snapshot's files it uses
 */
public record SnapshotUser(String name, List<String> files) {
}
