package io.hotsnap.app.dashboard;

import io.hotsnap.coordinator.VmTimeline;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One VM's line of the dashboard table, updated on the FX thread after each batch. Unknown figures
 * are NaN.
 */
public final class VmRow {

    private final String host;
    private final String vm;
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");
    private final ReadOnlyDoubleWrapper downtimeMs = new ReadOnlyDoubleWrapper(this, "downtimeMs", Double.NaN);
    private final ReadOnlyDoubleWrapper holdMs = new ReadOnlyDoubleWrapper(this, "holdMs", Double.NaN);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyLongWrapper bytes = new ReadOnlyLongWrapper(this, "bytes", 0);
    private final ReadOnlyLongWrapper bytesPerSecond = new ReadOnlyLongWrapper(this, "bytesPerSecond", 0);
    private final ReadOnlyDoubleWrapper etaSeconds = new ReadOnlyDoubleWrapper(this, "etaSeconds", Double.NaN);

    VmRow(String host, String vm) {
        this.host = host;
        this.vm = vm;
    }

    void update(VmTimeline track) {
        state.set(track.stateText());
        downtimeMs.set(track.downtimeMs());
        holdMs.set(track.holdMs());
        progress.set(track.progress());
        bytes.set(track.bytes());
        bytesPerSecond.set(track.bytesPerSecond());
        etaSeconds.set(track.etaSeconds());
    }

    public String host() {
        return host;
    }

    public String vm() {
        return vm;
    }

    /** "holding", "paused", "copying", "copied — awaiting commit", "committed" or "failed: reason". */
    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** STOP → RESUME. */
    public ReadOnlyDoubleProperty downtimeMsProperty() {
        return downtimeMs.getReadOnlyProperty();
    }

    /** HOLD_ON → HOLD_OFF. */
    public ReadOnlyDoubleProperty holdMsProperty() {
        return holdMs.getReadOnlyProperty();
    }

    /** The full memory copy, 0..1. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Memory bytes copied so far. */
    public ReadOnlyLongProperty bytesProperty() {
        return bytes.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty bytesPerSecondProperty() {
        return bytesPerSecond.getReadOnlyProperty();
    }

    /** Seconds left at the current rate: 0 once copied. */
    public ReadOnlyDoubleProperty etaSecondsProperty() {
        return etaSeconds.getReadOnlyProperty();
    }
}
