package io.hotsnap.protocol;

/** The agent's wall clock (µs since the epoch) when it answered a {@code ping}. */
public record PingResult(long agentTimeMicros) {
}
