package io.hotsnap.app.dashboard;

/** One VM's stage in a cluster snapshot, as the table's state column words it. */
enum VmPhase {
    WAITING("waiting"),
    HOLDING("holding"),
    PAUSED("paused"),
    COPYING("copying"),
    COPIED("copied — awaiting commit"),
    COMMITTED("committed"),
    FAILED("failed");

    private final String label;

    VmPhase(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
