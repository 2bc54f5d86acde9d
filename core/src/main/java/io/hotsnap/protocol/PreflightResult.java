package io.hotsnap.protocol;

import io.hotsnap.restore.PreflightCheck;
import java.util.List;

/** The agent's answer to {@code restore-preflight}: every check of every VM asked about, passed or not. */
public record PreflightResult(List<PreflightCheck> checks) {
}
