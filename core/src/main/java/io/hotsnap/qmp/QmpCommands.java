package io.hotsnap.qmp;

import java.util.List;
import java.util.Map;

/**
 * The QMP commands the engine sends, typed: each names its QAPI command, builds its arguments and
 * says what its reply is read into. Sent with {@link QmpClient#call(QmpCommand, java.time.Duration)}.
 */
public final class QmpCommands {

    private QmpCommands() {
    }

    public static QmpCommand<StatusInfo> queryStatus() {
        return QmpCommand.of("query-status", null, StatusInfo.class);
    }

    public static QmpCommand<MemoryInfo> queryMemorySizeSummary() {
        return QmpCommand.of("query-memory-size-summary", null, MemoryInfo.class);
    }

    public static QmpCommand<Void> stop() {
        return QmpCommand.done("stop", null);
    }

    public static QmpCommand<Void> cont() {
        return QmpCommand.done("cont", null);
    }

    public static QmpCommand<Void> quit() {
        return QmpCommand.done("quit", null);
    }

    // --- migration ---------------------------------------------------------------------------

    public static QmpCommand<MigrationInfo> queryMigrate() {
        return QmpCommand.of("query-migrate", null, MigrationInfo.class);
    }

    public static QmpCommand<Void> migrate(String uri) {
        return QmpCommand.done("migrate", Map.of("uri", uri));
    }

    public static QmpCommand<Void> migrateCancel() {
        return QmpCommand.done("migrate_cancel", null);
    }

    /** Lets a migration paused in {@code state} (with {@code pause-before-switchover}, "pre-switchover") go on. */
    public static QmpCommand<Void> migrateContinue(String state) {
        return QmpCommand.done("migrate-continue", Map.of("state", state));
    }

    public static QmpCommand<List<MigrationCapabilityStatus>> queryMigrateCapabilities() {
        return QmpCommand.listOf("query-migrate-capabilities", null, MigrationCapabilityStatus.class);
    }

    public static QmpCommand<Void> migrateSetCapabilities(List<MigrationCapabilityStatus> capabilities) {
        return QmpCommand.done("migrate-set-capabilities", Map.of("capabilities", capabilities));
    }

    public static QmpCommand<MigrationParameters> queryMigrateParameters() {
        return QmpCommand.of("query-migrate-parameters", null, MigrationParameters.class);
    }

    public static QmpCommand<Void> migrateSetParameters(MigrationParameters parameters) {
        return QmpCommand.done("migrate-set-parameters", parameters);
    }

    /** Starts QEMU's estimate of the guest's dirtying rate over {@code seconds}, sampling {@code samplePages} per GiB. */
    public static QmpCommand<Void> calcDirtyRate(int seconds, int samplePages) {
        return QmpCommand.done("calc-dirty-rate", Map.of("calc-time", seconds, "sample-pages", samplePages));
    }

    public static QmpCommand<DirtyRateInfo> queryDirtyRate() {
        return QmpCommand.of("query-dirty-rate", null, DirtyRateInfo.class);
    }

    // --- block jobs and nodes ----------------------------------------------------------------

    public static QmpCommand<List<BlockJobInfo>> queryBlockJobs() {
        return QmpCommand.listOf("query-block-jobs", null, BlockJobInfo.class);
    }

    /** Cancels job {@code jobId}; {@code force} also ends one that is paused. */
    public static QmpCommand<Void> blockJobCancel(String jobId, boolean force) {
        return QmpCommand.done("block-job-cancel", Map.of("device", jobId, "force", force));
    }

    public static QmpCommand<Void> blockJobComplete(String jobId) {
        return QmpCommand.done("block-job-complete", Map.of("device", jobId));
    }

    /** An active commit of the node {@code device}'s top image into its backing file, as job {@code jobId}. */
    public static QmpCommand<Void> blockCommit(String jobId, String device) {
        return QmpCommand.done("block-commit", Map.of("job-id", jobId, "device", device));
    }

    /** Copies the backing chain into node {@code device}, as job {@code jobId}. */
    public static QmpCommand<Void> blockStream(String jobId, String device) {
        return QmpCommand.done("block-stream", Map.of("job-id", jobId, "device", device));
    }

    public static QmpCommand<Void> blockdevDel(String nodeName) {
        return QmpCommand.done("blockdev-del", Map.of("node-name", nodeName));
    }

    public static QmpCommand<Void> removeFd(int fdsetId) {
        return QmpCommand.done("remove-fd", Map.of("fdset-id", fdsetId));
    }

    // --- objects -----------------------------------------------------------------------------

    /** A {@code filter-buffer} on {@code netdev}'s receive queue, flushing it every {@code intervalMicros}; {@code status} "on" or "off". */
    public static QmpCommand<Void> addRxFilterBuffer(String id, String netdev, long intervalMicros, String status) {
        return QmpCommand.done("object-add", Map.of("qom-type", "filter-buffer", "id", id, "netdev", netdev, "queue", "rx",
                "interval", intervalMicros, "status", status));
    }

    public static QmpCommand<Void> objectDel(String id) {
        return QmpCommand.done("object-del", Map.of("id", id));
    }

    /** Sets a QOM property of the object at {@code path}. */
    public static QmpCommand<Void> qomSet(String path, String property, Object value) {
        return QmpCommand.done("qom-set", Map.of("path", path, "property", property, "value", value));
    }
}
