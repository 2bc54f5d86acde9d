package io.hotsnap.coordinator;

import io.hotsnap.protocol.ClusterEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.LongStream;

/**
 * A cluster snapshot's events folded into one {@link VmTimeline} per VM of each host: the one
 * reading of the events that the coordinator's figures, the reports and the dashboard share.
 * Events of the coordinator's own (no VM) say nothing about a VM and are passed over. Not
 * thread-safe: callers apply events from one thread or under their own lock.
 */
public final class PhaseFold {

    private final Map<Key, VmTimeline> vms = new LinkedHashMap<>();

    /** The fold of {@code events}, in their order. */
    public static PhaseFold of(List<ClusterEvent> events) {
        PhaseFold fold = new PhaseFold();
        events.forEach(fold::apply);
        return fold;
    }

    /** VMs a starting snapshot takes on {@code host}: they are {@link VmStage#WAITING} before their first event. */
    public void expect(String host, Collection<String> names) {
        names.forEach(vm -> timeline(host, vm));
    }

    public void apply(ClusterEvent e) {
        if (e.vm() != null) {
            timeline(e.host(), e.vm()).apply(e);
        }
    }

    /** The manifest is committed: every VM not failed is now part of the snapshot. */
    public void commit() {
        vms.values().forEach(VmTimeline::commit);
    }

    /** The snapshot was aborted: every VM not failed or committed yet fails for {@code reason}. */
    public void fail(String reason) {
        vms.values().forEach(t -> t.fail(reason));
    }

    public Optional<VmTimeline> vm(String host, String vm) {
        return Optional.ofNullable(vms.get(new Key(host, vm)));
    }

    /** Every VM, in the order first expected or heard of. */
    public List<VmTimeline> vms() {
        return new ArrayList<>(vms.values());
    }

    /** The cut's first hold or pause: its first HOLD_ON or STOP, coordinator µs. */
    public OptionalLong cutBegan() {
        return vms.values().stream().flatMapToLong(t -> LongStream.concat(
                t.hold().stream().mapToLong(PhaseSpan::fromMicros), t.stopAt().stream())).min();
    }

    /** Max − min of the VMs' snapshot points (STOP), ms; NaN before any STOP. */
    public double skewMs() {
        long[] stops = vms.values().stream().flatMapToLong(t -> t.stopAt().stream()).toArray();
        return stops.length == 0 ? Double.NaN
                : (LongStream.of(stops).max().getAsLong() - LongStream.of(stops).min().getAsLong()) / 1000.0;
    }

    private VmTimeline timeline(String host, String vm) {
        return vms.computeIfAbsent(new Key(host, vm), k -> new VmTimeline(host, vm));
    }

    private record Key(String host, String vm) {
    }
}
