package io.hotsnap.qmp;

/** The data of QEMU's {@code MIGRATION} event: the migration's new {@code MigrationStatus}. */
public record MigrationEvent(String status) {

    public static final String NAME = "MIGRATION";

    public static MigrationEvent of(QmpEvent event) {
        return event.dataAs(MigrationEvent.class);
    }
}
