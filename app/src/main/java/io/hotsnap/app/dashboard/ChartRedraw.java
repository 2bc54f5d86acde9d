package io.hotsnap.app.dashboard;

import java.util.List;
import java.util.function.LongSupplier;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * Redraws the charts after a batch, one chart per FX turn: drawing a chart of 100 VMs takes the FX
 * thread ~10 ms, and between the turns input and pulses get their share. Requests during a round
 * fold into one more round. What {@link #withLastChart} holds runs in the last chart's turn, so a
 * pulse between the turns paints one chart, not the table and log as well. FX thread only.
 */
final class ChartRedraw {

    private final List<Runnable> charts;
    private final LongSupplier revision;
    private final ReadOnlyLongWrapper drawn = new ReadOnlyLongWrapper(this, "drawnRevision", -1);
    private boolean running;
    private boolean again;
    private Runnable held;

    /** @param revision the view-model's batch count, so that {@link #drawnRevisionProperty()} can say what is drawn */
    ChartRedraw(List<Runnable> charts, LongSupplier revision) {
        this.charts = List.copyOf(charts);
        this.revision = revision;
    }

    /** Every chart at once, now (a new view's first picture). */
    void drawNow() {
        runHeld();
        charts.forEach(Runnable::run);
        drawn.set(revision.getAsLong());
    }

    /**
     * Runs {@code publish} right before the last chart of the next round's last turn (the chart
     * may read what it publishes); a later one replaces one not yet run, so each must publish
     * everything pending. Call {@link #request} after it.
     */
    void withLastChart(Runnable publish) {
        held = publish;
    }

    void request() {
        if (running) {
            again = true;
        } else {
            start();
        }
    }

    /** The view-model revision every chart has drawn (or something newer). */
    ReadOnlyLongProperty drawnRevisionProperty() {
        return drawn.getReadOnlyProperty();
    }

    private void runHeld() {
        Runnable publish = held;
        held = null;
        if (publish != null) {
            publish.run();
        }
    }

    private void start() {
        running = true;
        step(0, revision.getAsLong());
    }

    private void step(int chart, long round) {
        Platform.runLater(() -> {
            if (chart + 1 == charts.size()) {
                runHeld();
            }
            charts.get(chart).run();
            if (chart + 1 < charts.size()) {
                step(chart + 1, round);
            } else {
                drawn.set(round);
                running = false;
                if (again) {
                    again = false;
                    start();
                }
            }
        });
    }
}
