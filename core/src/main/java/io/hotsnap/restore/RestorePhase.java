package io.hotsnap.restore;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A step of a coordinated restore that a RESTORE event reports ({@code data.phase}); on the wire
 * each is its name in lower case, as it has always been.
 */
public enum RestorePhase {
    /** A VM's memory image is loading into its new, paused QEMU. */
    LOADING,
    /** Loaded and paused, waiting for the barrier ({@code data.loadMs}). */
    LOADED,
    /** The coordinator's own, with no VM: every host has loaded ({@code data.loadMs}). */
    BARRIER,
    /** The VM runs again. */
    RESUMED,
    /** The coordinator's own: how the VM's TCP flows went on after the resume. */
    TCP,
    /** A loaded VM was killed and its overlays removed ({@code data.reason}). */
    DISCARDED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phase a wire name stands for; empty for a name this build does not know. */
    public static Optional<RestorePhase> ofWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
    }
}
