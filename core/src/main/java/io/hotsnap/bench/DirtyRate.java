package io.hotsnap.bench;

import io.hotsnap.qmp.DirtyRateInfo;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import io.hotsnap.util.Poll;
import java.util.Optional;
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
            qmp.call(QmpCommands.calcDirtyRate(seconds, SAMPLE_PAGES), timeouts.qmpCommand());
            Duration every = Duration.ofMillis(Math.max(100, seconds * 1000L / 4));
            Optional<DirtyRateInfo> measured = Poll.every(every, Duration.ofSeconds(seconds).plus(timeouts.qmpCommand()))
                    .value(() -> Optional.of(qmp.call(QmpCommands.queryDirtyRate(), timeouts.qmpCommand())).filter(DirtyRateInfo::measured));
            return measured.map(r -> OptionalDouble.of(r.dirtyRate())).orElse(OptionalDouble.empty());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DirtyRate.class).warn("cannot measure the dirty rate on {}: {}", qmpSocket, e.getMessage());
            return OptionalDouble.empty();
        }
    }
}
