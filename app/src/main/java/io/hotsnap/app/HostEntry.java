package io.hotsnap.app;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** A host in the inventory tree: its connection state in words, and its VMs. Changed on the FX thread only. */
public final class HostEntry {

    private final String name;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "connecting…");
    private final ObservableList<VmEntry> vms = FXCollections.observableArrayList();
    private boolean connected;

    HostEntry(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ObservableList<VmEntry> vms() {
        return vms;
    }

    public boolean isConnected() {
        return connected;
    }

    void connected(String text) {
        connected = true;
        status.set(text);
    }

    void failed(String reason) {
        connected = false;
        status.set("not connected: " + reason);
    }

    void status(String text) {
        status.set(text);
    }

    @Override
    public String toString() {
        return name;
    }
}
