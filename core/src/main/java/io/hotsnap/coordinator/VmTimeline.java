package io.hotsnap.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.Coverage;
import io.hotsnap.snapshot.SnapshotPhase;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything one VM's events of a cluster snapshot said so far, and what follows from it: its
 * stage, hold, pause and full copy, downtime and copy progress. Times are coordinator µs. Each
 * kind's first occurrence counts, whatever order the events came in. Not thread-safe: {@link
 * PhaseFold} applies events on one thread.
 */
public final class VmTimeline {

    private final String host;
    private final String vm;
    private Long holdOn;
    private Long holdOff;
    private Long stop;
    private Long resume;
    /** The full copy's {@code full-done} mark. */
    private Long fullDone;
    /** The part's DONE: written and synced. */
    private Long doneAt;
    /** DONE or ERROR: nothing of this VM stays open after it. */
    private Long endedAt;
    private boolean copyReported;
    private long memoryDone;
    private long memoryTotal;
    private long bytesPerSecond;
    private boolean committed;
    private String error;
    private Coverage coverage;

    VmTimeline(String host, String vm) {
        this.host = host;
        this.vm = vm;
    }

    /** How a VM of a cut is named wherever hosts mix (dashboard rows, charts, logs): {@code host/vm}. */
    public static String name(String host, String vm) {
        return host + "/" + vm;
    }

    public String name() {
        return name(host, vm);
    }

    public String host() {
        return host;
    }

    public String vm() {
        return vm;
    }

    void apply(ClusterEvent e) {
        long at = e.atMicros();
        JsonNode data = e.data() == null ? MissingNode.getInstance() : e.data();
        switch (e.kind()) {
            case COVERED -> coverage = new Coverage(data.path("by").asText(null), data.path("why").asText(null));
            case HOLD_ON -> holdOn = first(holdOn, at);
            case HOLD_OFF -> holdOff = first(holdOff, at);
            case STOP -> stop = first(stop, at);
            case RESUME -> resume = first(resume, at);
            case PROGRESS -> progress(e, data, at);
            case DONE -> {
                doneAt = first(doneAt, at);
                endedAt = first(endedAt, at);
                memoryDone = data.path("part").path("memory").path("bytes").asLong(memoryDone);
            }
            case ERROR -> {
                error = error != null ? error : data.path("message").asText("failed");
                endedAt = first(endedAt, at);
            }
            default -> { }
        }
    }

    private void progress(ClusterEvent e, JsonNode data, long at) {
        if (!e.isProgressSample()) {
            if (Optional.of(SnapshotPhase.FULL_DONE).equals(e.snapshotPhase())) {
                fullDone = first(fullDone, at);
            }
            return;
        }
        copyReported = true;
        memoryDone = data.path("memoryDone").asLong(memoryDone);
        memoryTotal = data.path("memoryTotal").asLong(memoryTotal);
        bytesPerSecond = data.path("bytesPerSecond").asLong(bytesPerSecond);
    }

    /** The manifest is committed: every part this VM wrote is now part of a snapshot. */
    void commit() {
        if (error == null) {
            committed = true;
        }
    }

    /** The snapshot was aborted: a VM not already failed or committed failed with it. */
    void fail(String reason) {
        if (error == null && !committed) {
            error = reason;
        }
    }

    public VmStage stage() {
        if (error != null) {
            return VmStage.FAILED;
        }
        if (committed) {
            return VmStage.COMMITTED;
        }
        if (doneAt != null) {
            return VmStage.COPIED;
        }
        // A precopy copies while the guest runs, before its final stop.
        if (resume != null || (copyReported && stop == null)) {
            return VmStage.COPYING;
        }
        if (stop != null) {
            return VmStage.PAUSED;
        }
        return holdOn != null && holdOff == null ? VmStage.HOLDING : VmStage.WAITING;
    }

    /** The stage's label, with the reason when it failed. */
    public String stateText() {
        VmStage stage = stage();
        return stage == VmStage.FAILED ? stage.label() + ": " + error : stage.label();
    }

    /** HOLD_ON → HOLD_OFF; empty without a hold. */
    /** How the cut covers this VM (hold, or barrier and why); empty in modes that cover no VM, or before prepare said. */
    public Optional<Coverage> coverage() {
        return Optional.ofNullable(coverage);
    }

    public Optional<PhaseSpan> hold() {
        return holdOn == null ? Optional.empty() : Optional.of(PhaseSpan.of(holdOn, holdOff));
    }

    /** STOP → RESUME: the guest paused; empty before its STOP. */
    public Optional<PhaseSpan> pause() {
        return stop == null ? Optional.empty() : Optional.of(PhaseSpan.of(stop, resume));
    }

    /**
     * RESUME → the copy's end (its {@code full-done} mark, else the part's DONE, whichever order
     * they came in): the background memory copy. A copy reported before RESUME (a precopy's final
     * round) counts from STOP.
     */
    public Optional<PhaseSpan> copy() {
        Long from = resume != null ? resume : copyReported ? stop : null;
        return from == null ? Optional.empty() : Optional.of(PhaseSpan.of(from, fullDone != null ? fullDone : doneAt));
    }

    /** The VM's snapshot point. */
    public OptionalLong stopAt() {
        return stop == null ? OptionalLong.empty() : OptionalLong.of(stop);
    }

    public OptionalLong resumeAt() {
        return resume == null ? OptionalLong.empty() : OptionalLong.of(resume);
    }

    /** Its DONE or ERROR: phases still open then end there. */
    public OptionalLong endedAt() {
        return endedAt == null ? OptionalLong.empty() : OptionalLong.of(endedAt);
    }

    /** STOP → RESUME, ms; NaN until both are known. */
    public double downtimeMs() {
        return stop != null && resume != null ? ms(resume - stop) : Double.NaN;
    }

    /** HOLD_ON → HOLD_OFF, ms; NaN until both are known. */
    public double holdMs() {
        return holdOn != null && holdOff != null ? ms(holdOff - holdOn) : Double.NaN;
    }

    /** 0..1; QEMU's stream carries device state on top of RAM, so bytes may pass the total. */
    public double progress() {
        if (doneAt != null || fullDone != null) {
            return 1.0;
        }
        return memoryTotal > 0 ? Math.min(1.0, (double) memoryDone / memoryTotal) : 0.0;
    }

    /** Memory bytes copied so far; the part's memory image once DONE. */
    public long bytes() {
        return memoryDone;
    }

    /** The copy's latest rate, bytes/s; 0 once it is over. */
    public long bytesPerSecond() {
        return doneAt != null || error != null ? 0 : bytesPerSecond;
    }

    /** Seconds left at the current rate; 0 when done, NaN when unknown. */
    public double etaSeconds() {
        if (doneAt != null) {
            return 0;
        }
        if (error != null || bytesPerSecond <= 0 || memoryTotal <= 0) {
            return Double.NaN;
        }
        return Math.max(0, memoryTotal - memoryDone) / (double) bytesPerSecond;
    }

    private static Long first(Long seen, long at) {
        return seen != null ? seen : at;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
