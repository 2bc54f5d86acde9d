package io.hotsnap.app.restore;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One VM being restored on the wizard's last page: where it is (loading, loaded, resumed …), its
 * load time, and how its TCP streams came back after the resume.
 */
public record VmProgress(String host, String from, String as, StringProperty phase, StringProperty loadMs, StringProperty tcp) {

    static VmProgress waiting(String host, String from, String as) {
        return new VmProgress(host, from, as, new SimpleStringProperty("waiting"), new SimpleStringProperty("—"),
                new SimpleStringProperty("—"));
    }
}
