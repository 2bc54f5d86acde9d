package io.hotsnap.cli;

import io.hotsnap.agent.HostVmSources;
import io.hotsnap.host.HostPaths;
import io.hotsnap.host.SafeName;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.vm.VmSources;

/** What the snapshot commands look up the same way: a committed snapshot by ID, this host's VMs. */
final class StoreReads {

    private StoreReads() {
    }

    static Manifest existing(String rawId, SnapshotStore store) {
        String id = SafeName.check("snapshot ID", rawId);
        try {
            return store.read(id).orElseThrow(() -> new CliException(ExitCode.CONFLICT, "no snapshot '" + id + "' in " + store.root()));
        } catch (java.io.UncheckedIOException e) {
            throw new CliException(ExitCode.CONFLICT, e.getMessage());
        }
    }

    static VmSources hostVms() {
        return HostVmSources.of(HostPaths.socketDir(), Timeouts.defaults());
    }
}
