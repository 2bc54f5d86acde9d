package io.hotsnap.qmp;

/**
 * Life of a {@link QmpClient}: IDLE → CONNECTING → RUNNING → DISCONNECTING → DISCONNECTED. A failed
 * connect goes back to IDLE so it can be retried; DISCONNECTED is final.
 */
public enum QmpState {
    IDLE,
    CONNECTING,
    RUNNING,
    DISCONNECTING,
    DISCONNECTED
}
