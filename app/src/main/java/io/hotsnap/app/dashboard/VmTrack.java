package io.hotsnap.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.hotsnap.cluster.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one VM's events said so far, and what follows from it: its phase, downtime, hold,
 * copy progress and timeline bars. Plain Java, applied on one thread; times are coordinator µs.
 * Each kind's first occurrence counts, as in the engine's own timeline.
 */
final class VmTrack {

    private final String host;
    private final String vm;
    private Long holdOn;
    private Long holdOff;
    private Long stop;
    private Long resume;
    private Long fullDone;
    /** DONE or ERROR: nothing of this VM stays open after it. */
    private Long endedAt;
    private boolean copyReported;
    private long memoryDone;
    private long memoryTotal;
    private long bytesPerSecond;
    private boolean done;
    private boolean committed;
    private String error;

    VmTrack(String host, String vm) {
        this.host = host;
        this.vm = vm;
    }

    /** How the dashboard names a VM everywhere (rows, charts, log): {@code host/vm}. */
    static String name(String host, String vm) {
        return host + "/" + vm;
    }

    String name() {
        return name(host, vm);
    }

    String host() {
        return host;
    }

    String vm() {
        return vm;
    }

    void apply(ClusterEvent e) {
        long at = e.atMicros();
        JsonNode data = e.data() == null ? MissingNode.getInstance() : e.data();
        switch (e.kind()) {
            case HOLD_ON -> holdOn = first(holdOn, at);
            case HOLD_OFF -> holdOff = first(holdOff, at);
            case STOP -> stop = first(stop, at);
            case RESUME -> resume = first(resume, at);
            case PROGRESS -> progress(data, at);
            case DONE -> {
                done = true;
                fullDone = first(fullDone, at);
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

    private void progress(JsonNode data, long at) {
        if (data.has("phase")) {
            if (data.path("phase").asText().equals("full-done")) {
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

    VmPhase phase() {
        if (error != null) {
            return VmPhase.FAILED;
        }
        if (committed) {
            return VmPhase.COMMITTED;
        }
        if (done) {
            return VmPhase.COPIED;
        }
        // A precopy copies while the guest runs, before its final stop.
        if (resume != null || (copyReported && stop == null)) {
            return VmPhase.COPYING;
        }
        if (stop != null) {
            return VmPhase.PAUSED;
        }
        return holdOn != null && holdOff == null ? VmPhase.HOLDING : VmPhase.WAITING;
    }

    String stateText() {
        VmPhase phase = phase();
        return phase == VmPhase.FAILED ? phase.label() + ": " + error : phase.label();
    }

    Long stopAt() {
        return stop;
    }

    double downtimeMs() {
        return stop != null && resume != null ? ms(resume - stop) : Double.NaN;
    }

    double holdMs() {
        return holdOn != null && holdOff != null ? ms(holdOff - holdOn) : Double.NaN;
    }

    /** 0..1; QEMU's stream carries device state on top of RAM, so bytes may pass the total. */
    double progress() {
        if (done || fullDone != null) {
            return 1.0;
        }
        return memoryTotal > 0 ? Math.min(1.0, (double) memoryDone / memoryTotal) : 0.0;
    }

    long bytes() {
        return memoryDone;
    }

    /** The copy's latest rate, bytes/s; 0 once it is over. */
    long bytesPerSecond() {
        return done || error != null ? 0 : bytesPerSecond;
    }

    /** Seconds left at the current rate; 0 when done, NaN when unknown. */
    double etaSeconds() {
        if (done) {
            return 0;
        }
        if (error != null || bytesPerSecond <= 0 || memoryTotal <= 0) {
            return Double.NaN;
        }
        return Math.max(0, memoryTotal - memoryDone) / (double) bytesPerSecond;
    }

    /** The bars, in ms from {@code originMicros}; a phase still open ends at {@code nowMicros}. */
    List<TimelineSegment> segments(long originMicros, long nowMicros) {
        long end = endedAt != null ? endedAt : nowMicros;
        List<TimelineSegment> bars = new ArrayList<>(3);
        if (holdOn != null) {
            bars.add(segment(TimelineSegment.Kind.HOLD, holdOn, holdOff != null ? holdOff : end, originMicros));
        }
        if (stop != null) {
            bars.add(segment(TimelineSegment.Kind.PAUSE, stop, resume != null ? resume : end, originMicros));
        }
        Long copyFrom = resume != null ? resume : copyReported ? stop : null;
        if (copyFrom != null) {
            bars.add(segment(TimelineSegment.Kind.COPY, copyFrom, fullDone != null ? fullDone : end, originMicros));
        }
        return bars;
    }

    List<TimelineMarker> markers(long originMicros) {
        List<TimelineMarker> marks = new ArrayList<>(2);
        if (stop != null) {
            marks.add(new TimelineMarker(host, vm, EventKind.STOP, ms(stop - originMicros)));
        }
        if (resume != null) {
            marks.add(new TimelineMarker(host, vm, EventKind.RESUME, ms(resume - originMicros)));
        }
        return marks;
    }

    private TimelineSegment segment(TimelineSegment.Kind kind, long from, long to, long originMicros) {
        return new TimelineSegment(host, vm, kind, ms(from - originMicros), ms(Math.max(from, to) - originMicros));
    }

    private static Long first(Long seen, long at) {
        return seen != null ? seen : at;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
