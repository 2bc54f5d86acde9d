package io.hotsnap.app.dashboard;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * Event → pixels: for each event, the time from its {@code accept()} to the end of the layout of
 * the first pulse after the view-model applied it and the charts drew it, the pulse that hands
 * those changes to the renderer. Call {@link #accepted} right before each {@code accept()};
 * install on the FX thread.
 */
final class RenderLatencyProbe {

    private final Scene scene;
    private final DashboardView view;
    /** Events applied as of each view-model revision. */
    private final NavigableMap<Long, Long> appliedAt = new TreeMap<>();
    private final long[] acceptedAt;
    private final double[] latencyMs;
    private final CountDownLatch allShown = new CountDownLatch(1);
    private final Runnable listener = this::afterLayout;
    private int shown;

    RenderLatencyProbe(Scene scene, DashboardViewModel viewModel, DashboardView view, int events) {
        this.scene = scene;
        this.view = view;
        viewModel.revisionProperty().addListener((obs, old, revision) -> appliedAt.put(revision.longValue(),
                viewModel.appliedEventsProperty().get()));
        // The charts may draw after the pulse that laid out the last batch: ask for one more, or the
        // last events would wait for a pulse that nothing else triggers.
        view.drawnRevisionProperty().addListener((obs, old, revision) -> Platform.requestNextPulse());
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
        Map.Entry<Long, Long> drawn = appliedAt.floorEntry(view.drawnRevisionProperty().get());
        int applied = drawn == null ? 0 : (int) Math.min(acceptedAt.length, drawn.getValue());
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
