package io.hotsnap.cli;

import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.coordinator.AgentLink;
import io.hotsnap.coordinator.ClusterException;
import io.hotsnap.coordinator.ClusterOptions;
import io.hotsnap.coordinator.ClusterTarget;
import io.hotsnap.coordinator.Coordinator;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.InventoryResult;
import io.hotsnap.protocol.ProtocolException;
import io.hotsnap.protocol.Request;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.settings.Waits;
import io.hotsnap.vm.VmInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code hotsnap snapshot --hosts H[,H…] (--vms NAME[,…] | --all) --mode M}: one cut of VMs on any
 * number of hosts through their agents. Hosts are contacted in parallel; VM names are resolved
 * against every host's inventory before anything starts, so a typo changes nothing.
 */
final class ClusterSnapshotCommand {

    /** The events worth a progress line; PROGRESS would flood the terminal. */
    private static final Set<EventKind> NOTED = Set.of(EventKind.HOLD_ON, EventKind.STOP, EventKind.RESUME, EventKind.HOLD_OFF,
            EventKind.DONE, EventKind.ERROR);

    private ClusterSnapshotCommand() {
    }

    /** @param vms the names asked for (a name on several hosts is spelled {@code HOST/VM}), or null for every VM */
    static int run(List<String> hosts, List<String> vms, ClusterOptions options, AgentConnector connector, boolean json,
                   ResultPrinter printer) {
        List<AgentLink> links = open(hosts, connector);
        ClusterResult result;
        try {
            List<ClusterTarget> targets = targets(links, vms);
            long[] origin = {0};
            result = new Coordinator(targets, options, e -> progress(e, origin, printer)).snapshot();
        } catch (ClusterException e) {
            throw new CliException(ExitCode.FAILED, e.getMessage());
        } finally {
            links.forEach(AgentLink::close);
        }
        if (json) {
            printer.json(result);
        } else {
            printText(result, printer);
        }
        return 0;
    }

    /** Every host at once, so a slow one costs its own time only; any failure closes what opened. */
    private static List<AgentLink> open(List<String> hosts, AgentConnector connector) {
        // A thread per host: the common pool has one thread on a 2-core machine, which would open them one by one.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(hosts.size());
        List<CompletableFuture<AgentLink>> opening = hosts.stream()
                .map(h -> CompletableFuture.supplyAsync(() -> connector.open(h), pool)).toList();
        pool.shutdown();
        List<AgentLink> links = new ArrayList<>();
        CliException failure = null;
        for (int i = 0; i < opening.size(); i++) {
            try {
                links.add(opening.get(i).join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = new CliException(ExitCode.FAILED, e.getCause().getMessage());
                }
            }
        }
        if (failure != null) {
            links.forEach(AgentLink::close);
            throw failure;
        }
        return links;
    }

    private static List<ClusterTarget> targets(List<AgentLink> links, List<String> asked) {
        Map<AgentLink, List<VmInfo>> running = new LinkedHashMap<>();
        List<String> unavailable = new ArrayList<>();
        for (AgentLink link : links) {
            try {
                InventoryResult inventory = link.call(new Request.Inventory(), InventoryResult.class, Waits.AGENT_INVENTORY);
                running.put(link, inventory.vms().stream().filter(v -> v.error() == null).toList());
                inventory.unavailableSources().forEach(u -> unavailable.add(link.hostName() + ": " + u));
            } catch (ProtocolException e) {
                throw new CliException(ExitCode.FAILED, link.hostName() + ": " + e.getMessage());
            }
        }
        Map<AgentLink, List<String>> chosen = new LinkedHashMap<>();
        if (asked == null) {
            running.forEach((link, vms) -> {
                if (!vms.isEmpty()) {
                    chosen.put(link, vms.stream().map(VmInfo::name).toList());
                }
            });
            if (chosen.isEmpty()) {
                throw new CliException(ExitCode.CONFLICT, "no running VMs on " + hostNames(links));
            }
        } else {
            for (String name : asked) {
                Map.Entry<AgentLink, VmInfo> found = hostOf(name, running, links, unavailable);
                // Named by QEMU's -name or by the inventory's name, the VM travels under the inventory's.
                chosen.computeIfAbsent(found.getKey(), l -> new ArrayList<>()).add(found.getValue().name());
            }
        }
        return chosen.entrySet().stream().map(e -> new ClusterTarget(e.getKey(), e.getValue())).toList();
    }

    /**
     * The running VM {@code name} ({@code [HOST/]VM}, VM being its inventory name or QEMU's {@code -name}) and its host.
     *
     * @param unavailable VM sources that could not be asked: the VM may be theirs, so the refusal names them
     */
    private static Map.Entry<AgentLink, VmInfo> hostOf(String name, Map<AgentLink, List<VmInfo>> running, List<AgentLink> links,
                                                       List<String> unavailable) {
        int slash = name.indexOf('/');
        String host = slash < 0 ? null : name.substring(0, slash);
        String vm = name.substring(slash + 1);
        List<Map.Entry<AgentLink, VmInfo>> found = running.entrySet().stream()
                .filter(e -> host == null || e.getKey().hostName().equals(host))
                .flatMap(e -> e.getValue().stream().filter(v -> v.isNamed(vm)).map(v -> Map.entry(e.getKey(), v))).toList();
        if (found.isEmpty()) {
            throw new CliException(ExitCode.CONFLICT, "unknown VM '" + name + "': no running VM of that name on "
                    + (host != null ? host : hostNames(links)) + (unavailable.isEmpty() ? "" : " (" + String.join("; ", unavailable) + ")"));
        }
        if (found.size() > 1) {
            throw new CliException(ExitCode.USAGE, "VM '" + vm + "' names " + String.join(", ", found.stream()
                    .map(e -> e.getKey().hostName() + "/" + e.getValue().name()).toList()) + ": name it as HOST/VM by its inventory name");
        }
        return found.get(0);
    }

    private static String hostNames(List<AgentLink> links) {
        return String.join(", ", links.stream().map(AgentLink::hostName).toList());
    }

    private static void printText(ClusterResult result, ResultPrinter printer) {
        printer.text(String.format("%s  %s  %s  skew %.3f ms, committed %.0f ms after the snapshot began",
                result.id(), result.status(), result.mode(), result.skewMs(), result.commitMs()));
        for (VmResult vm : result.vms()) {
            printer.text(String.format("  %-12s %-10s downtime %7.1f ms  hold %7.1f ms  full %8.0f ms%s", vm.name(), vm.host(),
                    vm.downtimeMs(), vm.holdMs(), vm.fullMs(), vm.coverage() == null ? "" : "  " + vm.coverage().text()));
        }
    }

    /** One line per milestone, timed from the first one, so a slow step shows where it is. */
    private static void progress(ClusterEvent e, long[] origin, ResultPrinter printer) {
        if (NOTED.contains(e.kind()) && e.vm() != null) {
            if (origin[0] == 0) {
                origin[0] = e.atMicros();
            }
            printer.note(String.format("%+9.1f ms  %s/%s: %s", (e.atMicros() - origin[0]) / 1000.0, e.host(), e.vm(), e.kind()));
        }
    }
}
