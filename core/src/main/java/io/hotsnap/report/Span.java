package io.hotsnap.report;

/** A stretch of time, µs since the epoch. */
public record Span(long fromMicros, long toMicros) {
}
