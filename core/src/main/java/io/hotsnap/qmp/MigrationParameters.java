package io.hotsnap.qmp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * QAPI {@code MigrationParameters}, the one the engine changes: read by {@code query-migrate-parameters},
 * set by {@code migrate-set-parameters} (null members are not sent, so QEMU keeps them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationParameters(@JsonProperty("max-bandwidth") Long maxBandwidth) {
}
