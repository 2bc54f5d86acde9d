package io.hotsnap.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One VM's figures in a cluster snapshot (DESIGN §5), every time on the coordinator's clock.
 *
 * @param downtimeMs STOP → RESUME: how long the guest was paused
 * @param holdMs     HOLD_ON → HOLD_OFF: how long traffic into it was queued
 * @param stopAt     the VM's snapshot point (coordinator µs)
 * @param coverage   how the cut covered the VM (hold, or barrier and why); null in modes that cover no VM
 */
public record VmResult(String name, String host, double downtimeMs, double holdMs, double transientMs, double fullMs,
                       long memoryBytes, long diskBytes, long stopAt, @JsonInclude(JsonInclude.Include.NON_NULL) Coverage coverage) {
}
