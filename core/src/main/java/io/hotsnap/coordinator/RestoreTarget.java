package io.hotsnap.coordinator;

import io.hotsnap.restore.RestoreChoice;
import java.util.List;

/** The VMs the coordinator restores through one agent: those whose parts that agent's host keeps. */
public record RestoreTarget(AgentLink link, List<RestoreChoice> vms) {

    public RestoreTarget {
        if (vms == null || vms.isEmpty()) {
            throw new IllegalArgumentException("no VMs to restore on " + link.hostName());
        }
        vms = List.copyOf(vms);
    }

    ClusterTarget asCluster() {
        return new ClusterTarget(link, vms.stream().map(RestoreChoice::restoredName).toList());
    }
}
