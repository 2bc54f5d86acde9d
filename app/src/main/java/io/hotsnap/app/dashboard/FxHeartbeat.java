package io.hotsnap.app.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/**
 * Measures how long the FX thread stays busy: every millisecond or so it posts a no-op
 * {@code runLater} and records how late it runs. One beat is in flight at a time, so a lateness is
 * the rest of whatever stretch of work the FX thread was in (pulses, batches) when it was posted.
 */
final class FxHeartbeat {

    private final List<Double> latenessMs = new ArrayList<>();
    private final Thread thread = new Thread(this::beat, "fx-heartbeat");
    private volatile boolean running = true;

    private FxHeartbeat() {
    }

    static FxHeartbeat start() {
        FxHeartbeat heartbeat = new FxHeartbeat();
        heartbeat.thread.setDaemon(true);
        heartbeat.thread.start();
        return heartbeat;
    }

    private void beat() {
        try {
            while (running) {
                CountDownLatch ran = new CountDownLatch(1);
                long posted = System.nanoTime();
                Platform.runLater(() -> {
                    double late = (System.nanoTime() - posted) / 1e6;
                    synchronized (latenessMs) {
                        latenessMs.add(late);
                    }
                    ran.countDown();
                });
                if (!ran.await(10, TimeUnit.SECONDS)) {
                    return;
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops beating; returns every beat's lateness, ms. */
    List<Double> stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(15));
        synchronized (latenessMs) {
            return List.copyOf(latenessMs);
        }
    }
}
