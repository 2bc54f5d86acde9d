package io.hotsnap.app.engine;

import io.hotsnap.protocol.ClusterResult;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster snapshot the console started. {@link #cancel()} interrupts the coordinator, which then
 * aborts on every agent (holds released, VMs resumed, partial files removed); once the manifest is
 * committed there is nothing left to cancel and the snapshot stands.
 */
public final class SnapshotRun {

    private final CompletableFuture<ClusterResult> result;
    private final Thread worker;

    SnapshotRun(CompletableFuture<ClusterResult> result, Thread worker) {
        this.result = result;
        this.worker = worker;
    }

    /** Completes with the committed snapshot's figures, or exceptionally with the one-line reason. */
    public CompletableFuture<ClusterResult> result() {
        return result;
    }

    public void cancel() {
        if (!result.isDone()) {
            worker.interrupt();
        }
    }
}
