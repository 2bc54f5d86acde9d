package io.hotsnap.settings;

import java.time.Duration;

/**
 * Bounds on the streams HotSnap takes in, by what they cost rather than how long they last: a
 * slow store may make a large VM's memory stream run for hours, and that is fine as long as it moves.
 *
 * @param memoryStall  how long the memory receiver waits for a byte (or for QEMU's connection)
 *                     before it gives the stream up; stretched by {@code hotsnap.timeoutScale}
 * @param captureBytes the most one tap's traffic capture may write; frames past it are not captured
 *                     and the capture is reported truncated
 */
public record StreamLimits(Duration memoryStall, long captureBytes) {

    public static StreamLimits defaults() {
        return new StreamLimits(Duration.ofMillis((long) (Duration.ofMinutes(3).toMillis() * Timeouts.scaleFromSystem())),
                64L << 20);
    }
}
