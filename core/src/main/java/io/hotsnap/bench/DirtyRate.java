package io.hotsnap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The guest's actual memory-dirtying rate, as QEMU estimates it ({@code calc-dirty-rate}, page
 * sampling, which works under TCG too): proof that the "dirty" load really runs at the rate asked,
 * and that the idle guest is idle. Must not run during a snapshot (QEMU serves one QMP client).
 */
final class DirtyRate {

    /** Pages sampled per GiB of guest RAM: QEMU's maximum, for the best estimate of a small guest. */
    private static final int SAMPLE_PAGES = 4096;

    private DirtyRate() {
    }

    /** MiB/s dirtied over {@code seconds} (QEMU says "MB/s" and computes MiB/s); empty if QEMU cannot tell. */
    static OptionalDouble measure(Path qmpSocket, int seconds, Timeouts timeouts) {
        try (QmpClient qmp = new QmpClient(qmpSocket, timeouts)) {
            qmp.connect(timeouts.qmpConnect());
            qmp.call("calc-dirty-rate", Map.of("calc-time", seconds, "sample-pages", SAMPLE_PAGES), timeouts.qmpCommand());
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).plus(timeouts.qmpCommand()).toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.max(100, seconds * 1000L / 4));
                JsonNode r = qmp.call("query-dirty-rate", null, timeouts.qmpCommand());
                if (r.path("status").asText().equals("measured") && r.has("dirty-rate")) {
                    return OptionalDouble.of(r.path("dirty-rate").asDouble());
                }
            }
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DirtyRate.class).warn("cannot measure the dirty rate on {}: {}", qmpSocket, e.getMessage());
            return OptionalDouble.empty();
        }
    }
}
