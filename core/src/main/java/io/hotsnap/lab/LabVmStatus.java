package io.hotsnap.lab;

/**
 * One line of {@code lab status}: the contract printed by {@code --json}. {@code tap} names the VM's
 * host-side interface, where its traffic can be counted and captured on the host's clock.
 */
public record LabVmStatus(
        String name,
        long pid,
        String qmp,
        String serialLog,
        String disk,
        int memoryMiB,
        String ip,
        String tap,
        String state,
        String accel) {
}
