package io.hotsnap.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;
/**
 * QAPI {@code MigrationInfo}, the reply to {@code query-migrate}. QEMU leaves out what does not
 * apply yet: no status before the first migration, no RAM figures before the copy starts.
 *
 * @param status    QAPI {@code MigrationStatus} ("setup", "active", "pre-switchover", "device",
 *                  "completed", "failed", "cancelled", ...), or null before any migration
 * @param ram       the memory copy's figures, or null
 * @param errorDesc QEMU's reason for a failed migration, or null
 */
public record MigrationInfo(String status, MigrationStats ram, @JsonProperty("error-desc") String errorDesc) {

    /** The status, or "none" before any migration (as QEMU's own {@code MigrationStatus} calls it). */
    public String statusOrNone() {
        return status == null ? "none" : status;
    }

    /** The memory copy's figures; all null before the copy starts. */
    public MigrationStats ramOrEmpty() {
        return ram == null ? new MigrationStats(null, null, null) : ram;
    }

    /** QAPI {@code MigrationStats}, the parts the engine reads; each null when QEMU left it out. */
    public record MigrationStats(Long transferred, Long remaining, Long total) {
    }
}
