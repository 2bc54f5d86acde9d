package io.hotsnap.protocol;

import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostCommandException;
import io.hotsnap.host.HostPaths;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.vm.QemuBinary;
import io.hotsnap.vm.VmInventory;
import io.hotsnap.vm.VmSources;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests an agent answers about its host alone: {@code hello}, {@code inventory}, {@code ping}
 * and {@code shutdown}. The snapshot requests stay {@code unsupported} until the cluster snapshot is
 * wired in, by a subclass that also adds them to {@link #capabilities()}.
 */
public class HostAgentHandler implements AgentHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HostAgentHandler.class);

    private static final List<String> QEMU_BINARIES = List.of("qemu-system-x86_64");

    private final VmInventory inventory;
    /** Found at the first {@code hello}, then kept: QEMU is not upgraded under a running agent's feet often enough to ask again. */
    private List<HelloResult.QemuBinary> qemu;

    /** This host's inventory: the QMP sockets in {@link HostPaths#socketDir()}, libvirt, Proxmox. */
    public HostAgentHandler() {
        this(new VmInventory(VmSources.host(HostPaths.socketDir(), Timeouts.defaults()), Timeouts.defaults()));
    }

    public HostAgentHandler(VmInventory inventory) {
        this.inventory = inventory;
    }

    /** The request types this handler serves, announced in {@code hello}. */
    protected List<String> capabilities() {
        return List.of("hello", "inventory", "ping", "shutdown");
    }

    @Override
    public Object hello(Request.Hello request) {
        return new HelloResult(ProtocolCodec.VERSION, capabilities(), qemuBinaries(), HostClock.hostName(), HostClock.wallMicros());
    }

    @Override
    public Object inventory(Request.Inventory request) {
        VmInventory.Survey survey = inventory.survey();
        return new InventoryResult(survey.vms(), survey.unavailable());
    }

    @Override
    public Object ping(Request.Ping request) {
        return new PingResult(HostClock.wallMicros());
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
