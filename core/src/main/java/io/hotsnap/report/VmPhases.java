package io.hotsnap.report;

import io.hotsnap.coordinator.PhaseFold;
import io.hotsnap.coordinator.PhaseSpan;
import io.hotsnap.coordinator.VmTimeline;
import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.ClusterEvent;
import java.util.List;
import java.util.Optional;

/**
 * What one VM went through in a snapshot, for the timeline chart: the {@link PhaseFold}'s reading
 * of the record, the phases it saw end only.
 *
 * @param hold  HOLD_ON → HOLD_OFF; null without a hold (modes without one, local snapshots)
 * @param pause STOP → RESUME
 * @param copy  RESUME → the full copy done; null when not recorded
 */
record VmPhases(String vm, Span hold, Span pause, Span copy) {

    /**
     * Every VM's phases and the chart's origin: the record's first event, or without events the
     * first snapshot point of the manifest's parts.
     */
    record Chart(long originMicros, List<VmPhases> vms) {
    }

    static Chart chart(CatalogEntry entry) {
        if (entry.record() == null || entry.record().events().isEmpty()) {
            List<VmPhases> vms = entry.manifest().vms().stream().map(p -> new VmPhases(p.name(), null,
                    new Span(p.stopAt(), p.resumeAt()), new Span(p.resumeAt(), p.fullDoneAt()))).toList();
            return new Chart(entry.manifest().vms().stream().mapToLong(p -> p.stopAt()).min().orElse(0), vms);
        }
        List<ClusterEvent> events = entry.record().events();
        PhaseFold fold = PhaseFold.of(events);
        List<VmPhases> vms = entry.record().result().vms().stream()
                .map(v -> fold.vm(v.host(), v.name()).map(VmPhases::of).orElse(new VmPhases(v.name(), null, null, null))).toList();
        return new Chart(events.stream().mapToLong(ClusterEvent::atMicros).min().orElseThrow(), vms);
    }

    private static VmPhases of(VmTimeline t) {
        return new VmPhases(t.vm(), span(t.hold()), span(t.pause()), span(t.copy()));
    }

    /** A phase both ends of which were recorded. */
    private static Span span(Optional<PhaseSpan> phase) {
        return phase.filter(PhaseSpan::isClosed).map(p -> new Span(p.fromMicros(), p.toMicros().getAsLong())).orElse(null);
    }
}
