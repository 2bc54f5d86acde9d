package io.hotsnap.app.engine;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.coordinator.ClusterOptions;
import io.hotsnap.coordinator.ClusterRestore;
import io.hotsnap.coordinator.ClusterTarget;
import io.hotsnap.coordinator.Coordinator;
import io.hotsnap.coordinator.LocalAgentLink;
import io.hotsnap.coordinator.RestoreTarget;
import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.RestoreResult;
import io.hotsnap.restore.PreflightCheck;
import io.hotsnap.restore.RestoreChoice;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the console asks of the engine, each off the FX thread: connect a host, boot the local lab,
 * take a cluster snapshot, check and run a restore. JavaFX-free, so view-models own every thread hop onto the FX thread.
 */
public final class ConsoleEngine implements AutoCloseable {

    /** The name of this machine's own agent (a child process, no SSH). */
    public static final String LOCAL_HOST = LocalAgentLink.HOST_NAME;

    private final AgentConnector connector;
    private final Lab lab;
    private final AtomicInteger threads = new AtomicInteger();
    // A thread per task: connecting hosts blocks on the network (a host key prompt can wait for minutes).
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "console-worker-" + threads.incrementAndGet()));

    public ConsoleEngine(AgentConnector connector, Lab lab) {
        this.connector = connector;
        this.lab = lab;
    }

    public Lab lab() {
        return lab;
    }

    public CompletableFuture<HostSession> connect(String host) {
        return supply(() -> new HostSession(host, connector.open(host)));
    }

    /** Boots the lab and waits for every guest to tick; progress lines as {@code hotsnap lab up} prints them. */
    public CompletableFuture<List<LabVmStatus>> startLab(Consumer<String> progress) {
        return supply(() -> lab.up(progress));
    }

    public CompletableFuture<Void> stopLab(Consumer<String> progress) {
        return supply(() -> {
            lab.down(progress);
            return null;
        });
    }

    /** Blocking inventory of a host, on a worker. */
    public <T> CompletableFuture<T> supply(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, workers);
    }

    /**
     * Starts a cut of these VMs through their hosts' agents, on its own thread (so that cancel can
     * interrupt exactly it); events arrive on the agents' reader threads.
     */
    public SnapshotRun snapshot(Map<HostSession, List<String>> vms, ClusterOptions options, Consumer<ClusterEvent> events) {
        List<ClusterTarget> targets = vms.entrySet().stream().map(e -> new ClusterTarget(e.getKey().link(), e.getValue())).toList();
        CompletableFuture<ClusterResult> result = new CompletableFuture<>();
        Thread worker = daemon(() -> {
            try {
                result.complete(new Coordinator(targets, options, events).snapshot());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, "console-snapshot");
        SnapshotRun run = new SnapshotRun(result, worker);
        worker.start();
        return run;
    }

    /** The restore's preflight checklist from every host holding a chosen VM's part, by host; reads only. */
    public CompletableFuture<Map<String, List<PreflightCheck>>> restorePreflight(String snapshotId, String store,
                                                                                Map<HostSession, List<RestoreChoice>> vms) {
        return supply(() -> restoreOf(snapshotId, store, vms, e -> { }).preflight());
    }

    /**
     * Restores the chosen VMs: loaded paused on every host, then all resumed together. Events (per-VM
     * loading, loaded, resumed; the coordinator's barrier) arrive on the agents' reader threads.
     */
    public CompletableFuture<RestoreResult> restore(String snapshotId, String store, Map<HostSession, List<RestoreChoice>> vms,
                                                    Consumer<ClusterEvent> events) {
        return supply(() -> restoreOf(snapshotId, store, vms, events).restore());
    }

    private static ClusterRestore restoreOf(String snapshotId, String store, Map<HostSession, List<RestoreChoice>> vms,
                                            Consumer<ClusterEvent> events) {
        List<RestoreTarget> targets = vms.entrySet().stream().map(e -> new RestoreTarget(e.getKey().link(), e.getValue())).toList();
        return new ClusterRestore(snapshotId, store, targets, events);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
