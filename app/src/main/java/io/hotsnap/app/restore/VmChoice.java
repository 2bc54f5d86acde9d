package io.hotsnap.app.restore;

import io.hotsnap.restore.RestoreChoice;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One VM of the chosen snapshot on the wizard's second page: restore it or not, in place or as a
 * clone under a new name (by default NAME-clone, the safer way: the original keeps running).
 *
 * @param host the connected host that keeps the VM's part, or null when none does
 */
public record VmChoice(String vm, String host, BooleanProperty selected, BooleanProperty asClone, StringProperty cloneName) {

    static VmChoice of(String vm, String host) {
        return new VmChoice(vm, host, new SimpleBooleanProperty(host != null), new SimpleBooleanProperty(true),
                new SimpleStringProperty(vm + "-clone"));
    }

    boolean inPlace() {
        return !asClone.get();
    }

    /** The name it will run under. */
    String restoredName() {
        return inPlace() ? vm : cloneName.get().strip();
    }

    RestoreChoice choice() {
        return inPlace() ? RestoreChoice.inPlace(vm) : RestoreChoice.asClone(vm, cloneName.get().strip());
    }
}
