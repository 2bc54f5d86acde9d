package io.hotsnap.app.dashboard;

/** Where the snapshot shown on the dashboard stands. */
public enum DashboardState {
    /** Events are still coming in; nothing is committed yet. */
    RUNNING,
    /** The manifest is committed on every host: the snapshot exists. */
    COMMITTED,
    /** The snapshot was aborted: it does not exist. */
    FAILED
}
