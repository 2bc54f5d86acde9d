package io.hotsnap.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.restore.RestoreChoice;
import java.util.List;

/**
 * What the coordinator asks an agent (DESIGN §4). Every request carries the id its reply echoes. The
 * link assigns ids ({@link #withId}), so callers use the constructors without one.
 *
 * <p>A new request type is a record here, its name in {@link ProtocolCodec} and a
 * method in {@link AgentHandler}; {@link #dispatchTo} routes it, so {@link Agent} needs no change.
 */
public sealed interface Request extends Message {

    long id();

    /** This request with the id its link assigned. */
    Request withId(long id);

    /** Calls the handler method for this request's type (double dispatch: Java 17 has no type switch). */
    Object dispatchTo(AgentHandler handler) throws Exception;

    /** First exchange: protocol version, capabilities, QEMU versions, host name and clock. */
    record Hello(long id) implements Request {
        public Hello() {
            this(0);
        }

        @Override
        public Hello withId(long id) {
            return new Hello(id);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.hello(this);
        }
    }

    /** The host's VMs, as {@code hotsnap vms} lists them. */
    record Inventory(long id) implements Request {
        public Inventory() {
            this(0);
        }

        @Override
        public Inventory withId(long id) {
            return new Inventory(id);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.inventory(this);
        }
    }

    /** The agent's wall clock, answered at once: one sample for {@link ClockOffset}. */
    record Ping(long id) implements Request {
        public Ping() {
            this(0);
        }

        @Override
        public Ping withId(long id) {
            return new Ping(id);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.ping(this);
        }
    }

    /**
     * Open QMP to {@code vms}, check they can take part in {@code mode}, create the snapshot's directories.
     *
     * @param store         the agent host's snapshot store, or null for its default
     * @param diskMode      {@code copy|overlay|none}, or null for {@code copy}
     * @param staggerMillis delay between successive VMs' snapshot triggers (null: 0)
     * @param capture       capture the VMs' traffic from now until {@code traffic} (null: no)
     */
    record Prepare(long id, String snapshotId, String mode, List<String> vms, String store, String diskMode, Long staggerMillis,
                   Boolean capture) implements Request {
        public Prepare {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            mode = Fields.text(mode, "mode");
            vms = Fields.names(vms, "vms", false);
            if (staggerMillis != null && staggerMillis < 0) {
                throw new IllegalArgumentException("staggerMillis must not be negative, got " + staggerMillis);
            }
        }

        public Prepare(long id, String snapshotId, String mode, List<String> vms) {
            this(id, snapshotId, mode, vms, null, null, null, null);
        }

        public Prepare(String snapshotId, String mode, List<String> vms) {
            this(0, snapshotId, mode, vms, null, null, null, null);
        }

        public Prepare(String snapshotId, String mode, List<String> vms, String store, String diskMode) {
            this(0, snapshotId, mode, vms, store, diskMode, null, null);
        }

        public Prepare(String snapshotId, String mode, List<String> vms, String store, String diskMode, long staggerMillis,
                       boolean capture) {
            this(0, snapshotId, mode, vms, store, diskMode, staggerMillis, capture);
        }

        @Override
        public Prepare withId(long id) {
            return new Prepare(id, snapshotId, mode, vms, store, diskMode, staggerMillis, capture);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.prepare(this);
        }
    }

    /**
     * Hold traffic into every prepared VM. {@code deadlineMillis} is the agent's own bound: past it
     * the hold is released whatever the coordinator does, so a lost coordinator cannot leave a VM deaf.
     */
    record Hold(long id, String snapshotId, long deadlineMillis) implements Request {
        public Hold {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            if (deadlineMillis <= 0) {
                throw new IllegalArgumentException("deadlineMillis must be positive, got " + deadlineMillis);
            }
        }

        public Hold(String snapshotId, long deadlineMillis) {
            this(0, snapshotId, deadlineMillis);
        }

        @Override
        public Hold withId(long id) {
            return new Hold(id, snapshotId, deadlineMillis);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.hold(this);
        }
    }

    /** Take every prepared VM's transient snapshot now, releasing each VM's hold right after its own. */
    record Snapshot(long id, String snapshotId) implements Request {
        public Snapshot {
            snapshotId = Fields.id(snapshotId, "snapshotId");
        }

        public Snapshot(String snapshotId) {
            this(0, snapshotId);
        }

        @Override
        public Snapshot withId(long id) {
            return new Snapshot(id, snapshotId);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.snapshot(this);
        }
    }

    /** Release the holds of {@code vms}, or of every held VM when {@code vms} is null. */
    record Release(long id, String snapshotId, List<String> vms) implements Request {
        public Release {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            vms = Fields.names(vms, "vms", true);
        }

        public Release(String snapshotId, List<String> vms) {
            this(0, snapshotId, vms);
        }

        @Override
        public Release withId(long id) {
            return new Release(id, snapshotId, vms);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.release(this);
        }
    }

    /** Give the snapshot up: resume and release everything, remove its partial files. */
    record Abort(long id, String snapshotId, String reason) implements Request {
        public Abort {
            snapshotId = Fields.id(snapshotId, "snapshotId");
        }

        public Abort(String snapshotId, String reason) {
            this(0, snapshotId, reason);
        }

        @Override
        public Abort withId(long id) {
            return new Abort(id, snapshotId, reason);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.abort(this);
        }
    }

    /** Every part is complete: write {@code manifest} (the global one) atomically next to this host's parts. */
    record Commit(long id, String snapshotId, JsonNode manifest) implements Request {
        public Commit {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            manifest = Fields.object(manifest, "manifest");
        }

        public Commit(String snapshotId, JsonNode manifest) {
            this(0, snapshotId, manifest);
        }

        @Override
        public Commit withId(long id) {
            return new Commit(id, snapshotId, manifest);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.commit(this);
        }
    }

    /**
     * After {@code commit}: stop capturing the snapshot's traffic and send the frames seen from
     * {@code fromMicros} on ({@link io.hotsnap.net.TrafficResult}; agent clock, null: all). Asked
     * for once; the capture is gone afterwards.
     */
    record Traffic(long id, String snapshotId, Long fromMicros) implements Request {
        public Traffic {
            snapshotId = Fields.id(snapshotId, "snapshotId");
        }

        public Traffic(String snapshotId, Long fromMicros) {
            this(0, snapshotId, fromMicros);
        }

        @Override
        public Traffic withId(long id) {
            return new Traffic(id, snapshotId, fromMicros);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.traffic(this);
        }
    }

    /**
     * After the traffic analysis: keep {@code record} (a {@code SnapshotRecord}: the snapshot's figures and
     * events) as {@code ID/report.json} in {@code store}, next to the manifest. Refused, writing
     * nothing, unless the snapshot is committed in that store.
     *
     * @param store the agent host's snapshot store, or null for its default
     */
    record Record(long id, String snapshotId, String store, JsonNode record) implements Request {
        public Record {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            record = Fields.object(record, "record");
        }

        public Record(String snapshotId, String store, JsonNode record) {
            this(0, snapshotId, store, record);
        }

        @Override
        public Record withId(long id) {
            return new Record(id, snapshotId, store, record);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.record(this);
        }
    }

    /**
     * Delete a committed snapshot of {@code store}; refused, deleting nothing, while a running VM of
     * the agent's host uses its files (the reply names them).
     *
     * @param store the agent host's snapshot store, or null for its default
     */
    record Delete(long id, String snapshotId, String store) implements Request {
        public Delete {
            snapshotId = Fields.text(snapshotId, "snapshotId");
        }

        public Delete(String snapshotId, String store) {
            this(0, snapshotId, store);
        }

        @Override
        public Delete withId(long id) {
            return new Delete(id, snapshotId, store);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.delete(this);
        }
    }

    /**
     * Make the running VM {@code vm} independent of {@code store}'s snapshots (its disks' chains
     * streamed into their overlays), so that they can be deleted.
     *
     * @param store the agent host's snapshot store, or null for its default
     */
    record Detach(long id, String vm, String store) implements Request {
        public Detach {
            vm = Fields.text(vm, "vm");
        }

        public Detach(String vm, String store) {
            this(0, vm, store);
        }

        @Override
        public Detach withId(long id) {
            return new Detach(id, vm, store);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.detach(this);
        }
    }

    /**
     * The committed snapshots in {@code store}, each with its {@code report.json} when it has a
     * readable one: the console's catalog.
     *
     * @param store the agent host's snapshot store, or null for its default (the one {@code prepare} uses)
     */
    record Snapshots(long id, String store) implements Request {
        public Snapshots(String store) {
            this(0, store);
        }

        @Override
        public Snapshots withId(long id) {
            return new Snapshots(id, store);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.snapshots(this);
        }
    }

    /**
     * The preflight checklist of restoring {@code vms} of committed snapshot {@code snapshotId} from
     * {@code store} on this host ({@code io.hotsnap.restore.PreflightCheck}s). Reads only.
     *
     * @param store the agent host's snapshot store, or null for its default
     */
    record RestorePreflight(long id, String snapshotId, String store, List<RestoreChoice> vms) implements Request {
        public RestorePreflight {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            vms = Fields.choices(vms);
        }

        public RestorePreflight(String snapshotId, String store, List<RestoreChoice> vms) {
            this(0, snapshotId, store, vms);
        }

        @Override
        public RestorePreflight withId(long id) {
            return new RestorePreflight(id, snapshotId, store, vms);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.restorePreflight(this);
        }
    }

    /**
     * Check again, then start every VM of {@code vms} from the snapshot and load its memory, leaving
     * each paused (the restore's barrier); answered once all are loaded. Nothing is left started on failure.
     *
     * @param restoreId     the coordinator's name for this restore, used by {@code restore-resume}/{@code restore-abort}
     * @param captureMillis capture the in-place VMs' TCP traffic from the load until this long after
     *                      the resume, for {@code restore-traffic}; null or 0: no capture
     */
    record RestoreLoad(long id, String restoreId, String snapshotId, String store, List<RestoreChoice> vms, Long captureMillis)
            implements Request {
        public RestoreLoad {
            restoreId = Fields.id(restoreId, "restoreId");
            snapshotId = Fields.id(snapshotId, "snapshotId");
            vms = Fields.choices(vms);
            if (captureMillis != null && captureMillis < 0) {
                throw new IllegalArgumentException("captureMillis must not be negative");
            }
        }

        public RestoreLoad(String restoreId, String snapshotId, String store, List<RestoreChoice> vms, Long captureMillis) {
            this(0, restoreId, snapshotId, store, vms, captureMillis);
        }

        @Override
        public RestoreLoad withId(long id) {
            return new RestoreLoad(id, restoreId, snapshotId, store, vms, captureMillis);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.restoreLoad(this);
        }
    }

    /** Let every VM the restore loaded run, back to back; answered with each VM's load time and QEMU's RESUME stamp. */
    record RestoreResume(long id, String restoreId) implements Request {
        public RestoreResume {
            restoreId = Fields.id(restoreId, "restoreId");
        }

        public RestoreResume(String restoreId) {
            this(0, restoreId);
        }

        @Override
        public RestoreResume withId(long id) {
            return new RestoreResume(id, restoreId);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.restoreResume(this);
        }
    }

    /**
     * After {@code restore-resume}: the frames the restored VMs' taps saw ({@link io.hotsnap.net.TrafficResult}),
     * answered once the capture window after the resume has passed. Asked for once; the capture is gone afterwards.
     */
    record RestoreTraffic(long id, String restoreId) implements Request {
        public RestoreTraffic {
            restoreId = Fields.id(restoreId, "restoreId");
        }

        public RestoreTraffic(String restoreId) {
            this(0, restoreId);
        }

        @Override
        public RestoreTraffic withId(long id) {
            return new RestoreTraffic(id, restoreId);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.restoreTraffic(this);
        }
    }

    /**
     * Give the restore up: every VM it loaded and did not resume is killed and its overlays removed.
     * Answered with the in-place VMs whose original had already been shut down. Idempotent.
     */
    record RestoreAbort(long id, String restoreId, String reason) implements Request {
        public RestoreAbort {
            restoreId = Fields.id(restoreId, "restoreId");
        }

        public RestoreAbort(String restoreId, String reason) {
            this(0, restoreId, reason);
        }

        @Override
        public RestoreAbort withId(long id) {
            return new RestoreAbort(id, restoreId, reason);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.restoreAbort(this);
        }
    }

    /**
     * Keep a finished restore's figures ({@code io.hotsnap.cluster.RestoreResult}) next to the
     * snapshot, as {@code ID/restore-RESTOREID.json}. Refused, writing nothing, unless the snapshot is
     * committed in that store.
     */
    record RestoreRecord(long id, String snapshotId, String store, JsonNode result) implements Request {
        public RestoreRecord {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            result = Fields.object(result, "result");
        }

        public RestoreRecord(String snapshotId, String store, JsonNode result) {
            this(0, snapshotId, store, result);
        }

        @Override
        public RestoreRecord withId(long id) {
            return new RestoreRecord(id, snapshotId, store, result);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.restoreRecord(this);
        }
    }

    /** The coordinator is done: the agent answers, then exits (without the lost-coordinator cleanup). */
    record Shutdown(long id) implements Request {
        public Shutdown() {
            this(0);
        }

        @Override
        public Shutdown withId(long id) {
            return new Shutdown(id);
        }

        @Override
        public Object dispatchTo(AgentHandler handler) throws Exception {
            return handler.shutdown(this);
        }
    }
}
