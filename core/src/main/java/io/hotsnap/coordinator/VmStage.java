package io.hotsnap.coordinator;

/** Where one VM is in a cluster snapshot, as its events (and the cut's outcome) tell. */
public enum VmStage {
    WAITING("waiting"),
    HOLDING("holding"),
    PAUSED("paused"),
    COPYING("copying"),
    COPIED("copied — awaiting commit"),
    COMMITTED("committed"),
    FAILED("failed");

    private final String label;

    VmStage(String label) {
        this.label = label;
    }

    /** The stage in an administrator's words. */
    public String label() {
        return label;
    }
}
