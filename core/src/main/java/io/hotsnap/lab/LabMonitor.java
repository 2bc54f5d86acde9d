package io.hotsnap.lab;

import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;

/** The two QMP questions the lab itself asks a VM: how it runs, and to quit. */
final class LabMonitor {

    private final Timeouts timeouts;

    LabMonitor(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    /** QEMU's run state ("running", "paused" …), or why it could not be read. */
    String runState(Path qmp) {
        try (QmpClient client = new QmpClient(qmp, timeouts)) {
            client.connect(timeouts.qmpConnect());
            return client.call(QmpCommands.queryStatus(), timeouts.qmpCommand()).statusOr("unknown");
        } catch (QmpException e) {
            return "unreachable: " + e.getMessage();
        }
    }

    /** Asks QEMU to exit; the caller waits for the process and kills it if it does not. */
    void quit(Path qmp) {
        try (QmpClient client = new QmpClient(qmp, timeouts)) {
            client.connect(timeouts.qmpConnect());
            client.call(QmpCommands.quit(), timeouts.qmpCommand());
        } catch (QmpException e) {
            // QEMU may close the socket before answering quit; the caller checks the process anyway
        }
    }
}
