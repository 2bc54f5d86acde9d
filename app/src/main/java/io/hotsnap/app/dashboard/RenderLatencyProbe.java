package io.hotsnap.app.dashboard;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;

/**
 * Event → pixels: for each event, the time from its {@code accept()} to the end of the layout of
 * the first pulse after the view-model applied it, the pulse that hands its changes to the
 * renderer. Call {@link #accepted} right before each {@code accept()}; install on the FX thread.
 */
final class RenderLatencyProbe {

    private final Scene scene;
    private final DashboardViewModel viewModel;
    private final long[] acceptedAt;
    private final double[] latencyMs;
    private final CountDownLatch allShown = new CountDownLatch(1);
    private final Runnable listener = this::afterLayout;
    private int shown;

    RenderLatencyProbe(Scene scene, DashboardViewModel viewModel, int events) {
        this.scene = scene;
        this.viewModel = viewModel;
        this.acceptedAt = new long[events];
        this.latencyMs = new double[events];
        scene.addPostLayoutPulseListener(listener);
    }

    /** From the producer thread; the queue hands the write over to the FX thread. */
    void accepted(int event) {
        acceptedAt[event] = System.nanoTime();
    }

    private void afterLayout() {
        long now = System.nanoTime();
        int applied = (int) Math.min(acceptedAt.length, viewModel.appliedEventsProperty().get());
        for (; shown < applied; shown++) {
            latencyMs[shown] = (now - acceptedAt[shown]) / 1e6;
        }
        if (shown == acceptedAt.length) {
            scene.removePostLayoutPulseListener(listener);
            allShown.countDown();
        }
    }

    /** Waits until every event was on screen; then the latencies, in event order. */
    double[] await(long timeoutSeconds) throws InterruptedException {
        if (!allShown.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every event reached the screen within " + timeoutSeconds + " s");
        }
        return latencyMs.clone();
    }
}
