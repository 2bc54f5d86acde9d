package io.hotsnap.agent;

import io.hotsnap.host.HostPaths;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.vm.SocketDirSource;
import io.hotsnap.vm.VmInventory;
import io.hotsnap.vm.VmSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent of a KVM host, composed per concern: the host's own requests ({@link HostAgentHandler}),
 * its check ({@link HostDoctor}), the store's catalog ({@link CatalogRequests}), restores
 * ({@link RestoreRequests}) and cluster snapshots ({@link SnapshotRequests}). Whatever ends the coordinator's session early reaches each:
 * loads not resumed are discarded, then snapshots not committed aborted.
 */
public final class SnapshotAgentHandler extends ComposedAgentHandler {

    /** This host's VM sources: the QMP sockets in {@link HostPaths#socketDir()}, libvirt, Proxmox. */
    public SnapshotAgentHandler(AgentEventSink sink) {
        this(HostVmSources.of(HostPaths.socketDir(), Timeouts.defaults()), Timeouts.defaults(), sink);
    }

    /** The VMs of one socket directory only (tests, with a directory of their own). */
    public SnapshotAgentHandler(Path socketDir, Timeouts timeouts, AgentEventSink sink) {
        this(new VmSources(List.of(new SocketDirSource(socketDir))), timeouts, sink);
    }

    public SnapshotAgentHandler(VmSources sources, Timeouts timeouts, AgentEventSink sink) {
        super(concerns(sources, timeouts, sink));
    }

    private static List<AgentHandler> concerns(VmSources sources, Timeouts timeouts, AgentEventSink sink) {
        ExecutorService workers = Executors.newCachedThreadPool(daemon("agent-vm"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("agent-hold-deadline"));
        SnapshotRequests snapshots = new SnapshotRequests(sources, timeouts, sink, workers, timer);
        // Restores before snapshots: the order in which a lost coordinator's leftovers are undone.
        VmInventory inventory = new VmInventory(sources, timeouts);
        return List.of(new HostAgentHandler(inventory, SnapshotRequests.modes()), new HostDoctor(inventory),
                new CatalogRequests(sources, timeouts, snapshots), new RestoreRequests(timeouts, sink, timer), snapshots);
    }

    /** Why everything is released when the coordinator falls silent. */
    static String silenceReason(Duration silence) {
        return "nothing from the coordinator for " + silence.toMillis() + " ms (stopped or cut off)";
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
