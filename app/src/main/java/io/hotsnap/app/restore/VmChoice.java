package io.hotsnap.app.restore;

import io.hotsnap.restore.RestoreChoice;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One VM of the chosen snapshot on the wizard's second page: restore it or not, in place or as a
 * clone under a new name (by default NAME-clone, the safer way: the original keeps running); a
 * clone of a libvirt domain transient (the default: gone once it stops) or persistent (libvirt
 * keeps it defined).
 *
 * @param host    the connected host that keeps the VM's part, or null when none does
 * @param libvirt the VM was a libvirt domain: only then does {@code persistent} mean anything
 */
public record VmChoice(String vm, String host, boolean libvirt, BooleanProperty selected, BooleanProperty asClone,
                       BooleanProperty persistent, StringProperty cloneName) {

    static VmChoice of(String vm, String host, boolean libvirt) {
        return new VmChoice(vm, host, libvirt, new SimpleBooleanProperty(host != null), new SimpleBooleanProperty(true),
                new SimpleBooleanProperty(false), new SimpleStringProperty(vm + "-clone"));
    }

    boolean inPlace() {
        return !asClone.get();
    }

    /** A clone libvirt keeps defined. */
    boolean persistentClone() {
        return libvirt && !inPlace() && persistent.get();
    }

    /** The name it will run under. */
    String restoredName() {
        return inPlace() ? vm : cloneName.get().strip();
    }

    RestoreChoice choice() {
        return inPlace() ? RestoreChoice.inPlace(vm) : new RestoreChoice(vm, cloneName.get().strip(), persistentClone());
    }
}
