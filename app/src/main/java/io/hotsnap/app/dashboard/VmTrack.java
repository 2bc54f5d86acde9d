package io.hotsnap.app.dashboard;

import io.hotsnap.coordinator.PhaseSpan;
import io.hotsnap.coordinator.VmTimeline;
import io.hotsnap.protocol.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One VM's folded phases ({@link VmTimeline}) as the dashboard draws them: bars and marks in ms on
 * the shared axis. Plain Java; times in are coordinator µs.
 */
final class VmTrack {

    private VmTrack() {
    }

    /** How the dashboard names a VM everywhere (rows, charts, log): {@code host/vm}. */
    static String name(String host, String vm) {
        return VmTimeline.name(host, vm);
    }

    /** The bars, in ms from {@code originMicros}; a phase still open ends at the VM's DONE or ERROR, else at {@code nowMicros}. */
    static List<TimelineSegment> segments(VmTimeline t, long originMicros, long nowMicros) {
        long end = t.endedAt().orElse(nowMicros);
        List<TimelineSegment> bars = new ArrayList<>(3);
        bar(bars, t, TimelineSegment.Kind.HOLD, t.hold(), originMicros, end);
        bar(bars, t, TimelineSegment.Kind.PAUSE, t.pause(), originMicros, end);
        bar(bars, t, TimelineSegment.Kind.COPY, t.copy(), originMicros, end);
        return bars;
    }

    static List<TimelineMarker> markers(VmTimeline t, long originMicros) {
        List<TimelineMarker> marks = new ArrayList<>(2);
        t.stopAt().ifPresent(at -> marks.add(new TimelineMarker(t.host(), t.vm(), EventKind.STOP, ms(at - originMicros))));
        t.resumeAt().ifPresent(at -> marks.add(new TimelineMarker(t.host(), t.vm(), EventKind.RESUME, ms(at - originMicros))));
        return marks;
    }

    private static void bar(List<TimelineSegment> bars, VmTimeline t, TimelineSegment.Kind kind, Optional<PhaseSpan> phase,
            long originMicros, long openEnd) {
        phase.ifPresent(p -> bars.add(new TimelineSegment(t.host(), t.vm(), kind, ms(p.fromMicros() - originMicros),
                ms(Math.max(p.fromMicros(), p.toOr(openEnd)) - originMicros))));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
