package io.hotsnap.protocol;

import io.hotsnap.vm.VmInfo;
import java.util.List;

/** The agent's answer to {@code inventory}: its host's VMs, as {@code hotsnap vms --json} lists them. */
public record InventoryResult(List<VmInfo> vms) {
}
