package io.hotsnap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.protocol.EventKind;

/**
 * One event of a cluster snapshot as the coordinator publishes it: an agent's event with its
 * timestamp mapped to the coordinator's clock, so events of different hosts can be compared.
 *
 * @param atMicros coordinator wall clock, µs since the epoch
 */
public record ClusterEvent(String host, long seq, EventKind kind, String vm, long atMicros, JsonNode data) {
}
