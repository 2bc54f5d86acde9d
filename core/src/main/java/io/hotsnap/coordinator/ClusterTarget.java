package io.hotsnap.coordinator;

import java.util.List;

/** The VMs the coordinator snapshots through one agent. */
public record ClusterTarget(AgentLink link, List<String> vms) {

    public ClusterTarget {
        if (vms == null || vms.isEmpty()) {
            throw new IllegalArgumentException("no VMs for " + link.hostName());
        }
        vms = List.copyOf(vms);
    }
}
