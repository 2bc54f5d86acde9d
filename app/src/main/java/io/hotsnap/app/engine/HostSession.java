package io.hotsnap.app.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.coordinator.AgentLink;
import io.hotsnap.coordinator.HostCheckup;
import io.hotsnap.protocol.CatalogResult;
import io.hotsnap.protocol.DoctorResult;
import io.hotsnap.protocol.InventoryResult;
import io.hotsnap.protocol.Request;
import io.hotsnap.settings.Waits;
import io.hotsnap.vm.VmInfo;
import java.util.List;

/**
 * One connected host: its agent stays up while the console shows the host, so inventory, catalog
 * and snapshots reuse it instead of paying an SSH login and a JVM start each time.
 */
public final class HostSession implements AutoCloseable {


    private final String name;
    private final AgentLink link;

    public HostSession(String name, AgentLink link) {
        this.name = name;
        this.link = link;
    }

    /** As the administrator named it ({@code local}, an alias, {@code user@host:port}). */
    public String name() {
        return name;
    }

    public AgentLink link() {
        return link;
    }

    /** Blocking: every QEMU VM of the host, unreachable ones included (with their error). */
    public List<VmInfo> inventory() {
        return link.call(new Request.Inventory(), InventoryResult.class, Waits.AGENT_INVENTORY).vms();
    }

    /** Blocking: the committed snapshots in {@code store} (null: the host's default), with their records, and its broken entries. */
    public CatalogResult catalog(String store) {
        return link.call(new Request.Snapshots(store), CatalogResult.class, Waits.AGENT_INVENTORY);
    }

    /**
     * Blocking: the VM's disks stop using the snapshots of {@code store} (null: the host's default),
     * streamed into their overlays while it runs.
     *
     * @return how many disks were detached
     */
    public int detach(String vm, String store) {
        return link.call(new Request.Detach(vm, store), JsonNode.class, Waits.DETACH).path("detached").size();
    }

    /** Blocking: the host's check ({@code doctor}, the store its own default) with the clock offset measured over this link. */
    public DoctorResult check() {
        return HostCheckup.run(name, link, null);
    }

    public boolean isOpen() {
        return !link.closedFuture().isDone();
    }

    @Override
    public void close() {
        link.close();
    }
}
