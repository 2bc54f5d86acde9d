package io.hotsnap.protocol;

import io.hotsnap.vm.VmInfo;
import java.util.List;

/**
 * The agent's answer to {@code inventory}: its host's VMs, as {@code hotsnap vms --json} lists them.
 *
 * @param unavailable a line for each VM source that could not be asked (libvirtd not running);
 *                    null from an agent that predates VM sources
 */
public record InventoryResult(List<VmInfo> vms, List<String> unavailable) {

    /** The sources that could not be asked, never null. */
    public List<String> unavailableSources() {
        return unavailable == null ? List.of() : unavailable;
    }
}
