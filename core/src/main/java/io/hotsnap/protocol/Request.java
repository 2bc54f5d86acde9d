package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.restore.RestoreChoice;
import java.util.List;

/**
 * What the coordinator asks an agent (DESIGN §4): one record per request type, holding only what
 * that request says. The wire name is the line's {@code "type"}; the id its reply echoes travels
 * beside the request in its {@link Envelope}, assigned by the link.
 *
 * <p>A new request type is a record here, its name in {@link JsonSubTypes} below, and a route in
 * the agent handler that serves it ({@link RequestRoutes}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Request.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = Request.Inventory.class, name = "inventory"),
        @JsonSubTypes.Type(value = Request.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = Request.Doctor.class, name = "doctor"),
        @JsonSubTypes.Type(value = Request.Prepare.class, name = "prepare"),
        @JsonSubTypes.Type(value = Request.Hold.class, name = "hold"),
        @JsonSubTypes.Type(value = Request.Snapshot.class, name = "snapshot"),
        @JsonSubTypes.Type(value = Request.Release.class, name = "release"),
        @JsonSubTypes.Type(value = Request.Abort.class, name = "abort"),
        @JsonSubTypes.Type(value = Request.Commit.class, name = "commit"),
        @JsonSubTypes.Type(value = Request.Traffic.class, name = "traffic"),
        @JsonSubTypes.Type(value = Request.Record.class, name = "record"),
        @JsonSubTypes.Type(value = Request.Snapshots.class, name = "snapshots"),
        @JsonSubTypes.Type(value = Request.Delete.class, name = "delete"),
        @JsonSubTypes.Type(value = Request.Detach.class, name = "detach"),
        @JsonSubTypes.Type(value = Request.RestorePreflight.class, name = "restore-preflight"),
        @JsonSubTypes.Type(value = Request.RestoreLoad.class, name = "restore-load"),
        @JsonSubTypes.Type(value = Request.RestoreResume.class, name = "restore-resume"),
        @JsonSubTypes.Type(value = Request.RestoreTraffic.class, name = "restore-traffic"),
        @JsonSubTypes.Type(value = Request.RestoreAbort.class, name = "restore-abort"),
        @JsonSubTypes.Type(value = Request.RestoreRecord.class, name = "restore-record"),
        @JsonSubTypes.Type(value = Request.Shutdown.class, name = "shutdown")})
public sealed interface Request {

    /** First exchange: protocol version, capabilities, QEMU versions, host name and clock. */
    record Hello() implements Request {
    }

    /** The host's VMs, as {@code hotsnap vms} lists them. */
    record Inventory() implements Request {
    }

    /** The agent's wall clock, answered at once: one sample for {@link io.hotsnap.coordinator.ClockOffset}. */
    record Ping() implements Request {
    }

    /**
     * What this host lacks for each mode, each with its fix ({@link DoctorResult}). Reads only.
     *
     * @param store the agent host's snapshot store whose free space is checked, or null for its default
     */
    record Doctor(String store) implements Request {
    }

    /**
     * Open QMP to {@code vms}, check they can take part in {@code mode}, create the snapshot's directories.
     *
     * @param store         the agent host's snapshot store, or null for its default
     * @param diskMode      {@code copy|overlay|none}, or null for {@code copy}
     * @param staggerMillis delay between successive VMs' snapshot triggers (null: 0)
     * @param capture       capture the VMs' traffic from now until {@code traffic} (null: no)
     */
    record Prepare(String snapshotId, String mode, List<String> vms, String store, String diskMode, Long staggerMillis,
                   Boolean capture) implements Request {
        public Prepare {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            mode = Fields.text(mode, "mode");
            vms = Fields.names(vms, "vms", false);
            if (staggerMillis != null && staggerMillis < 0) {
                throw new IllegalArgumentException("staggerMillis must not be negative, got " + staggerMillis);
            }
        }

        public Prepare(String snapshotId, String mode, List<String> vms) {
            this(snapshotId, mode, vms, null, null, null, null);
        }

        public Prepare(String snapshotId, String mode, List<String> vms, String store, String diskMode) {
            this(snapshotId, mode, vms, store, diskMode, null, null);
        }
    }

    /**
     * The cut's barrier step: hold traffic into every prepared VM the mode holds, pause every one it
     * covers by a pause. {@code deadlineMillis} is the agent's own bound: past it the hold is
     * released (in barrier mode, the VM resumed) whatever the coordinator does, so a lost
     * coordinator cannot leave a VM deaf. {@code pauseMillis}, when given, bounds the pauses apart
     * (auto mode, whose holds and pauses have different caps); else the deadline bounds both.
     */
    record Hold(String snapshotId, long deadlineMillis, Long pauseMillis) implements Request {
        public Hold {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            if (deadlineMillis <= 0) {
                throw new IllegalArgumentException("deadlineMillis must be positive, got " + deadlineMillis);
            }
            if (pauseMillis != null && pauseMillis <= 0) {
                throw new IllegalArgumentException("pauseMillis must be positive, got " + pauseMillis);
            }
        }

        public Hold(String snapshotId, long deadlineMillis) {
            this(snapshotId, deadlineMillis, null);
        }
    }

    /** Take every prepared VM's transient snapshot now, releasing each VM's hold right after its own. */
    record Snapshot(String snapshotId) implements Request {
        public Snapshot {
            snapshotId = Fields.id(snapshotId, "snapshotId");
        }
    }

    /** Release the holds of {@code vms}, or of every held VM when {@code vms} is null. */
    record Release(String snapshotId, List<String> vms) implements Request {
        public Release {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            vms = Fields.names(vms, "vms", true);
        }
    }

    /** Give the snapshot up: resume and release everything, remove its partial files. */
    record Abort(String snapshotId, String reason) implements Request {
        public Abort {
            snapshotId = Fields.id(snapshotId, "snapshotId");
        }
    }

    /** Every part is complete: write {@code manifest} (the global one) atomically next to this host's parts. */
    record Commit(String snapshotId, JsonNode manifest) implements Request {
        public Commit {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            manifest = Fields.object(manifest, "manifest");
        }
    }

    /**
     * After {@code commit}: stop capturing the snapshot's traffic and send the frames seen from
     * {@code fromMicros} on ({@link io.hotsnap.net.TrafficResult}; agent clock, null: all). Asked
     * for once; the capture is gone afterwards.
     */
    record Traffic(String snapshotId, Long fromMicros) implements Request {
        public Traffic {
            snapshotId = Fields.id(snapshotId, "snapshotId");
        }
    }

    /**
     * After the traffic analysis: keep {@code record} (a {@code SnapshotRecord}: the snapshot's figures and
     * events) as {@code ID/report.json} in {@code store}, next to the manifest. Refused, writing
     * nothing, unless the snapshot is committed in that store.
     *
     * @param store the agent host's snapshot store, or null for its default
     */
    record Record(String snapshotId, String store, JsonNode record) implements Request {
        public Record {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            record = Fields.object(record, "record");
        }
    }

    /**
     * Delete a committed snapshot of {@code store}; refused, deleting nothing, while a running VM of
     * the agent's host uses its files (the reply names them).
     *
     * @param store the agent host's snapshot store, or null for its default
     */
    record Delete(String snapshotId, String store) implements Request {
        public Delete {
            snapshotId = Fields.text(snapshotId, "snapshotId");
        }
    }

    /**
     * Make the running VM {@code vm} independent of {@code store}'s snapshots (its disks' chains
     * streamed into their overlays), so that they can be deleted.
     *
     * @param store the agent host's snapshot store, or null for its default
     */
    record Detach(String vm, String store) implements Request {
        public Detach {
            vm = Fields.text(vm, "vm");
        }
    }

    /**
     * The committed snapshots in {@code store}, each with its {@code report.json} when it has a
     * readable one: the console's catalog.
     *
     * @param store the agent host's snapshot store, or null for its default (the one {@code prepare} uses)
     */
    record Snapshots(String store) implements Request {
    }

    /**
     * The preflight checklist of restoring {@code vms} of committed snapshot {@code snapshotId} from
     * {@code store} on this host ({@code io.hotsnap.restore.PreflightCheck}s). Reads only.
     *
     * @param store the agent host's snapshot store, or null for its default
     */
    record RestorePreflight(String snapshotId, String store, List<RestoreChoice> vms) implements Request {
        public RestorePreflight {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            vms = Fields.choices(vms);
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
    record RestoreLoad(String restoreId, String snapshotId, String store, List<RestoreChoice> vms, Long captureMillis)
            implements Request {
        public RestoreLoad {
            restoreId = Fields.id(restoreId, "restoreId");
            snapshotId = Fields.id(snapshotId, "snapshotId");
            vms = Fields.choices(vms);
            if (captureMillis != null && captureMillis < 0) {
                throw new IllegalArgumentException("captureMillis must not be negative");
            }
        }
    }

    /** Let every VM the restore loaded run, back to back; answered with each VM's load time and QEMU's RESUME stamp. */
    record RestoreResume(String restoreId) implements Request {
        public RestoreResume {
            restoreId = Fields.id(restoreId, "restoreId");
        }
    }

    /**
     * After {@code restore-resume}: the frames the restored VMs' taps saw ({@link io.hotsnap.net.TrafficResult}),
     * answered once the capture window after the resume has passed. Asked for once; the capture is gone afterwards.
     */
    record RestoreTraffic(String restoreId) implements Request {
        public RestoreTraffic {
            restoreId = Fields.id(restoreId, "restoreId");
        }
    }

    /**
     * Give the restore up: every VM it loaded and did not resume is killed and its overlays removed.
     * Answered with the in-place VMs whose original had already been shut down. Idempotent.
     */
    record RestoreAbort(String restoreId, String reason) implements Request {
        public RestoreAbort {
            restoreId = Fields.id(restoreId, "restoreId");
        }
    }

    /**
     * Keep a finished restore's figures ({@code io.hotsnap.protocol.RestoreResult}) next to the
     * snapshot, as {@code ID/restore-RESTOREID.json}. Refused, writing nothing, unless the snapshot is
     * committed in that store.
     */
    record RestoreRecord(String snapshotId, String store, JsonNode result) implements Request {
        public RestoreRecord {
            snapshotId = Fields.id(snapshotId, "snapshotId");
            result = Fields.object(result, "result");
        }
    }

    /** The coordinator is done: the agent answers, then exits (without the lost-coordinator cleanup). */
    record Shutdown() implements Request {
    }
}
