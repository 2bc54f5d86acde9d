package io.hotsnap.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;

/** QAPI {@code MemoryInfo}, the reply to {@code query-memory-size-summary}: the guest's base RAM in bytes. */
public record MemoryInfo(@JsonProperty("base-memory") long baseMemory) {
}
