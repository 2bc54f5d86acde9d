package io.hotsnap.qmp;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * QAPI {@code DirtyRateInfo}, the reply to {@code query-dirty-rate}.
 *
 * @param status    "unstarted", "measuring" or "measured"
 * @param dirtyRate MiB/s (QEMU says "MB/s"), present once measured
 */
public record DirtyRateInfo(String status, @JsonProperty("dirty-rate") Double dirtyRate) {

    public boolean measured() {
        return "measured".equals(status) && dirtyRate != null;
    }
}
