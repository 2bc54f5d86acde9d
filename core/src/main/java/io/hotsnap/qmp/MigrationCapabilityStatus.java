package io.hotsnap.qmp;

/** QAPI {@code MigrationCapabilityStatus}: one migration capability and whether it is on. */
public record MigrationCapabilityStatus(String capability, boolean state) {
}
