package io.hotsnap.coordinator;

import java.util.OptionalLong;

/**
 * A stretch of one VM's snapshot (hold, pause, full copy): from the event that opened it to the
 * one that closed it, coordinator µs since the epoch.
 *
 * @param toMicros empty while the phase is open
 */
public record PhaseSpan(long fromMicros, OptionalLong toMicros) {

    static PhaseSpan of(long fromMicros, Long toMicros) {
        return new PhaseSpan(fromMicros, toMicros == null ? OptionalLong.empty() : OptionalLong.of(toMicros));
    }

    public boolean isClosed() {
        return toMicros.isPresent();
    }

    /** The end, or {@code openEnd} while the phase is still open. */
    public long toOr(long openEnd) {
        return toMicros.orElse(openEnd);
    }
}
