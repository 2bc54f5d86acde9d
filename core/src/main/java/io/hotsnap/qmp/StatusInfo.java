package io.hotsnap.qmp;

/** QAPI {@code StatusInfo}, the reply to {@code query-status}: whether the guest runs, and QEMU's run state. */
public record StatusInfo(boolean running, String status) {

    /** The run state, or {@code fallback} if QEMU sent none. */
    public String statusOr(String fallback) {
        return status == null ? fallback : status;
    }
}
