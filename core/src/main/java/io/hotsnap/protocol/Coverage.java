package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.hotsnap.vm.VmInfo;
import java.util.Optional;

/**
 * How a cut keeps a VM consistent with the others (DESIGN §4): {@code hold}, its inbound traffic
 * queued until its own snapshot point; or {@code barrier}, the VM paused before any VM's snapshot
 * point. {@code why} says why a VM is covered by barrier; null for a hold.
 */
public record Coverage(String by, String why) {

    public static final String HOLD = "hold";
    public static final String BARRIER = "barrier";

    public static Coverage hold() {
        return new Coverage(HOLD, null);
    }

    public static Coverage barrier(String why) {
        return new Coverage(BARRIER, why);
    }

    /**
     * How {@code mode} covers {@code vm}, from what its inventory says; empty in the modes that
     * control neither traffic nor pauses before the cut (independent, the baselines). Hold mode
     * holds every VM: a VM the hold cannot see is refused before, not covered.
     */
    public static Optional<Coverage> of(ClusterMode mode, VmInfo vm) {
        return switch (mode) {
            case HOLD -> Optional.of(hold());
            case BARRIER -> Optional.of(barrier("barrier mode"));
            case AUTO -> Optional.of(vm.holdUnseen() == null ? hold() : barrier(vm.holdUnseen()));
            case INDEPENDENT, PRECOPY, STOPCOPY -> Optional.empty();
        };
    }

    @JsonIgnore
    public boolean isBarrier() {
        return BARRIER.equals(by);
    }

    /** {@code covered by hold}, or {@code covered by barrier: WHY}: what the dialog, the CLI and the reports say. */
    @JsonIgnore
    public String text() {
        return why == null ? "covered by " + by : "covered by " + by + ": " + why;
    }
}
