package io.hotsnap.report;

/** A stretch of time, µs since the epoch. */
record Span(long fromMicros, long toMicros) {
}
