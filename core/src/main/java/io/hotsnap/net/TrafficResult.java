package io.hotsnap.net;

import java.util.List;

/**
 * An agent's captures of one snapshot, on its host's clock.
 *
 * @param unavailable why nothing was captured (no tcpdump, a VM without a tap), or null
 */
public record TrafficResult(long startedAt, long stoppedAt, List<VmCapture> vms, String unavailable) {
}
