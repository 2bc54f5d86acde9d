package io.hotsnap.vm;

import java.util.List;

/**
 * One VM of this host as its QMP socket describes it. A VM whose socket does not answer is still
 * listed, with {@code error} saying why, so nothing disappears silently from the inventory.
 */
public record VmInfo(
        String name,
        String qmp,
        Long pid,
        String state,
        Long memoryBytes,
        String qemuVersion,
        List<DiskInfo> disks,
        List<NicInfo> nics,
        String error) {

    static VmInfo unreachable(String name, String qmp, Long pid, String reason) {
        return new VmInfo(name, qmp, pid, "unreachable", null, null, List.of(), List.of(), reason);
    }
}
