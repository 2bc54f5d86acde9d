package io.hotsnap.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import java.time.Duration;
import java.util.Optional;

/** QEMU's own name for a VM ({@code -name}, answered by {@code query-name}): what the administrator typed. */
public final class QemuName {

    private QemuName() {
    }

    /** Through a connected client; empty when QEMU was started without {@code -name}. */
    public static Optional<String> of(QmpClient qmp, Duration timeout) {
        JsonNode name = qmp.call("query-name", null, timeout).path("name");
        return name.isTextual() && !name.asText().isEmpty() ? Optional.of(name.asText()) : Optional.empty();
    }

    /** Through a connection of its own, closed again; empty also when the VM does not answer. */
    static Optional<String> of(VmEndpoint endpoint, Timeouts timeouts) {
        try (QmpClient qmp = endpoint.qmpClient(timeouts)) {
            qmp.connect(timeouts.qmpConnect());
            return of(qmp, timeouts.qmpCommand());
        } catch (QmpException e) {
            return Optional.empty();
        }
    }
}
