package io.hotsnap.app;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * State of the main window. The view binds to these properties and never decides anything; the
 * properties are changed on the JavaFX application thread only.
 */
public final class MainViewModel {

    static final String INITIAL_STATUS = "Ready — no hosts connected";

    private final StringProperty statusText = new SimpleStringProperty(this, "statusText", INITIAL_STATUS);

    /** One line in the status bar: what the console is doing or last did. */
    public StringProperty statusTextProperty() {
        return statusText;
    }

    public String getStatusText() {
        return statusText.get();
    }

    public void setStatusText(String text) {
        statusText.set(text);
    }
}
