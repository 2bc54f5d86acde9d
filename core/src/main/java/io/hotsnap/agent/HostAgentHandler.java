package io.hotsnap.agent;

import io.hotsnap.host.HostClock;
import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostCommandException;
import io.hotsnap.protocol.AgentHandler;
import io.hotsnap.protocol.HelloResult;
import io.hotsnap.protocol.InventoryResult;
import io.hotsnap.protocol.PingResult;
import io.hotsnap.protocol.ProtocolCodec;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.RequestRoutes;
import io.hotsnap.settings.Waits;
import io.hotsnap.vm.QemuBinary;
import io.hotsnap.vm.VmInventory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests an agent answers about its host alone: {@code hello}, {@code inventory}, {@code ping}
 * and {@code shutdown}. Alone, it is the agent of a host that takes no snapshots; composed with
 * other concerns ({@link ComposedAgentHandler}), its {@code hello} announces their routes too.
 */
public final class HostAgentHandler implements AgentHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HostAgentHandler.class);

    private static final List<String> QEMU_BINARIES = List.of("qemu-system-x86_64");

    private final VmInventory inventory;
    private final List<String> extraCapabilities;
    /** Every route of the agent this handler is part of, read at {@code hello}. */
    private RequestRoutes routes;
    /** Found at the first {@code hello}, then kept: QEMU is not upgraded under a running agent's feet often enough to ask again. */
    private List<HelloResult.QemuBinary> qemu;

    public HostAgentHandler(VmInventory inventory) {
        this(inventory, List.of());
    }

    /** @param extraCapabilities announced in {@code hello} after the request types (e.g. the snapshot modes served) */
    public HostAgentHandler(VmInventory inventory, List<String> extraCapabilities) {
        this.inventory = inventory;
        this.extraCapabilities = List.copyOf(extraCapabilities);
    }

    @Override
    public synchronized void addRoutes(RequestRoutes routes) {
        this.routes = routes;
        routes.on(Request.Hello.class, r -> hello())
                .on(Request.Inventory.class, r -> inventory())
                .on(Request.Ping.class, r -> new PingResult(HostClock.wallMicros()));
    }

    /** What the agent serves, announced in {@code hello}: every routed request type, {@code shutdown}, and the extras. */
    private synchronized List<String> capabilities() {
        List<String> all = new ArrayList<>(routes.types());
        all.add("shutdown");
        all.addAll(extraCapabilities);
        return all;
    }

    private HelloResult hello() {
        return new HelloResult(ProtocolCodec.VERSION, capabilities(), qemuBinaries(), HostClock.hostName(), HostClock.wallMicros());
    }

    private InventoryResult inventory() {
        VmInventory.Survey survey = inventory.survey();
        return new InventoryResult(survey.vms(), survey.unavailable());
    }

    @Override
    public void coordinatorLost() {
        LOG.info("Coordinator lost; nothing is held on this host");
    }

    private synchronized List<HelloResult.QemuBinary> qemuBinaries() {
        if (qemu == null) {
            qemu = findQemu();
        }
        return qemu;
    }

    /** The QEMU binaries on PATH and their versions; a host without QEMU simply has none. */
    static List<HelloResult.QemuBinary> findQemu() {
        List<HelloResult.QemuBinary> found = new ArrayList<>();
        for (String binary : QEMU_BINARIES) {
            if (!HostCommand.onPath(binary)) {
                continue;
            }
            try {
                found.add(new HelloResult.QemuBinary(binary, QemuBinary.version(binary, Waits.QEMU_VERSION)));
            } catch (HostCommandException e) {
                LOG.warn("Cannot ask {} for its version: {}", binary, e.getMessage());
            }
        }
        return List.copyOf(found);
    }
}
