package io.hotsnap.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpCommands;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMs of this host, from its VM sources (DESIGN §3): QMP sockets in one directory (the lab, a
 * hand-started QEMU with {@code -qmp unix:/run/hotsnap/NAME.qmp,server=on,wait=off}), libvirt's
 * domains, Proxmox's VMs. Each running VM is described through its own QMP.
 */
public final class VmInventory {

    private static final Logger LOG = LoggerFactory.getLogger(VmInventory.class);
    /** VMs asked at once. */
    private static final int PARALLEL = 16;

    private final VmSources sources;
    private final Timeouts timeouts;

    public VmInventory(VmSources sources, Timeouts timeouts) {
        this.sources = sources;
        this.timeouts = timeouts;
    }

    /** The VMs of one socket directory only (tests, with a directory of their own). */
    public VmInventory(Path socketDir, Timeouts timeouts) {
        this(new VmSources(List.of(new SocketDirSource(socketDir))), timeouts);
    }

    /** Every VM, and a line for each source that could not be asked (libvirtd not running). */
    public record Survey(List<VmInfo> vms, List<String> unavailable) {
    }

    /** Every VM; a source that cannot be asked is logged and left out. */
    public List<VmInfo> list() {
        Survey survey = survey();
        survey.unavailable().forEach(u -> LOG.warn("{}", u));
        return survey.vms();
    }

    /**
     * Every VM, asked in parallel: a QMP socket held by another client (a snapshot in progress)
     * costs its connect timeout once, not once per VM listed after it.
     */
    public Survey survey() {
        VmSources.Listing listing = sources.list();
        if (listing.vms().isEmpty()) {
            return new Survey(List.of(), listing.unavailable());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(listing.vms().size(), PARALLEL));
        try {
            List<Future<VmInfo>> answers = new ArrayList<>();
            listing.vms().forEach(ref -> answers.add(pool.submit(() -> describe(ref))));
            List<VmInfo> vms = new ArrayList<>();
            for (Future<VmInfo> answer : answers) {
                vms.add(answer.get());
            }
            vms.sort(Comparator.comparing(VmInfo::name));
            return new Survey(vms, listing.unavailable());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing this host's VMs", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The VM called {@code name}, described; see {@link VmSources#find}. */
    public VmInfo describe(String name) {
        return describe(sources.find(name));
    }

    /** One VM through its QMP; a VM whose QMP does not answer gives an entry saying why. */
    public VmInfo describe(VmRef ref) {
        if (!ref.hasQemu()) {
            return VmInfo.notRunning(ref);
        }
        VmEndpoint endpoint = ref.endpoint();
        Optional<QemuProcess> process = endpoint.process();
        Long pid = process.map(QemuProcess::pid).orElse(null);
        try (QmpClient qmp = endpoint.qmpClient(timeouts)) {
            qmp.connect(timeouts.qmpConnect());
            String state = qmp.call(QmpCommands.queryStatus(), timeouts.qmpCommand()).statusOr("unknown");
            long memory = qmp.call(QmpCommands.queryMemorySizeSummary(), timeouts.qmpCommand()).baseMemory();
            List<DiskInfo> disks = writableDisks(qmp.call("query-block", null, timeouts.qmpCommand()));
            List<NicInfo> nics = withTaps(nics(qmp, vhostNetdevs(process), timeouts.qmpCommand()), endpoint);
            String holdUnseen = HoldVisibility.whyUnseen(ref.name(), nics, process.map(QemuProcess::passedThroughDevices).orElse(List.of()));
            return new VmInfo(ref.name(), endpoint.qmpTarget(), pid, state, memory, qmp.version().toString(), disks, nics, null,
                    ref.source(), ref.uuid(), ref.vmid(), holdUnseen, QemuName.of(qmp, timeouts.qmpCommand()).orElse(null));
        } catch (QmpException e) {
            String reason = process.isEmpty() ? "no QEMU process serves this socket (stale?): " + e.getMessage() : e.getMessage();
            return VmInfo.unreachable(ref, endpoint.qmpTarget(), pid, reason);
        }
    }

    private static List<NicInfo> withTaps(List<NicInfo> nics, VmEndpoint endpoint) {
        if (nics.stream().allMatch(n -> n.ifname() != null || n.mac() == null)) {
            return nics;
        }
        Map<String, String> taps = endpoint.tapsByMac();
        return nics.stream().map(n -> n.ifname() != null || n.mac() == null || !taps.containsKey(n.mac()) ? n
                : new NicInfo(n.id(), n.model(), n.mac(), n.netdev(), n.backend(), taps.get(n.mac()), n.vhost())).toList();
    }

    /** The VM's NICs as its monitor's {@code info network} lists them; {@code vhost} says which netdevs use vhost-net. */
    public static List<NicInfo> nics(QmpClient qmp, Predicate<String> vhost, java.time.Duration timeout) {
        String network = qmp.call("human-monitor-command", Map.of("command-line", "info network"), timeout).asText();
        return NetworkInfoParser.parse(network, vhost);
    }

    /** The writable disks in a {@code query-block} reply: what a snapshot must bring to its point. */
    public static List<DiskInfo> writableDisks(JsonNode block) {
        List<DiskInfo> disks = new ArrayList<>();
        for (JsonNode dev : block) {
            JsonNode inserted = dev.path("inserted");
            if (inserted.isMissingNode() || inserted.path("ro").asBoolean(false)) {
                continue;
            }
            // libvirt attaches disks with -blockdev: no device name, so the node names the disk.
            String device = dev.path("device").asText("");
            disks.add(new DiskInfo(device.isEmpty() ? inserted.path("node-name").asText() : device,
                    inserted.path("node-name").asText(), inserted.path("file").asText(), inserted.path("drv").asText(),
                    inserted.path("image").path("virtual-size").asLong()));
        }
        return disks;
    }

    /**
     * Which netdevs use vhost-net: those named with vhost on the command line, or every one when the
     * process holds {@code /dev/vhost-net} but its command line does not say which.
     */
    private static Predicate<String> vhostNetdevs(Optional<QemuProcess> process) {
        if (process.isEmpty()) {
            return id -> false;
        }
        Set<String> named = process.get().vhostNetdevsOnCommandLine();
        if (!named.isEmpty()) {
            return named::contains;
        }
        boolean any = process.get().holdsVhostNet();
        return id -> any;
    }
}
