package io.hotsnap.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.cluster.CatalogEntry;
import io.hotsnap.cluster.ClusterEvent;
import io.hotsnap.cluster.VmResult;
import io.hotsnap.protocol.EventKind;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What one VM went through in a snapshot, for the timeline chart.
 *
 * @param hold  HOLD_ON → HOLD_OFF; null without a hold (modes without one, local snapshots)
 * @param pause STOP → RESUME
 * @param copy  RESUME → the full copy done; null when not recorded
 */
record VmPhases(String vm, Span hold, Span pause, Span copy) {

    /** The phase marker of PROGRESS events that ends the background copy. */
    static final String FULL_DONE = "full-done";

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
        List<VmPhases> vms = entry.record().result().vms().stream().map(v -> fromEvents(v, events)).toList();
        return new Chart(events.stream().mapToLong(ClusterEvent::atMicros).min().orElseThrow(), vms);
    }

    private static VmPhases fromEvents(VmResult v, List<ClusterEvent> events) {
        Optional<Long> holdOn = first(events, v, e -> e.kind() == EventKind.HOLD_ON);
        Optional<Long> holdOff = first(events, v, e -> e.kind() == EventKind.HOLD_OFF);
        Optional<Long> stop = first(events, v, e -> e.kind() == EventKind.STOP);
        Optional<Long> resume = first(events, v, e -> e.kind() == EventKind.RESUME);
        Optional<Long> fullDone = first(events, v, e -> e.kind() == EventKind.PROGRESS && isFullDone(e.data()));
        return new VmPhases(v.name(), span(holdOn, holdOff), span(stop, resume), span(resume, fullDone));
    }

    private static boolean isFullDone(JsonNode data) {
        return data != null && FULL_DONE.equals(data.path("phase").asText());
    }

    private static Optional<Long> first(List<ClusterEvent> events, VmResult v, Predicate<ClusterEvent> which) {
        return events.stream().filter(e -> v.name().equals(e.vm()) && v.host().equals(e.host())).filter(which)
                .map(ClusterEvent::atMicros).findFirst();
    }

    private static Span span(Optional<Long> from, Optional<Long> to) {
        return from.isPresent() && to.isPresent() ? new Span(from.get(), to.get()) : null;
    }
}
