package io.hotsnap.agent;

import io.hotsnap.net.TrafficCapture;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.Coverage;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.vm.HotEligibility;
import io.hotsnap.vm.NicInfo;
import io.hotsnap.vm.VmInfo;
import io.hotsnap.vm.VmInventory;
import io.hotsnap.vm.VmRef;
import io.hotsnap.vm.VmSourceException;
import io.hotsnap.vm.VmSources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This host's VMs of one cut, found and described before anything is touched: each exists, answers,
 * and can take part in the mode. What the snapshot then needs of them: where each is, how the mode
 * covers it (hold or barrier), its netdevs to hold, its MAC for the baselines' drops, its taps to capture on.
 */
final class CutVms {

    private final ClusterMode mode;
    private final Map<String, VmRef> refs;
    private final Map<String, VmInfo> infos;

    private CutVms(ClusterMode mode, Map<String, VmRef> refs, Map<String, VmInfo> infos) {
        this.mode = mode;
        this.refs = refs;
        this.infos = infos;
    }

    /** @throws SnapshotException {@code REFUSED} naming the first VM that is missing, does not answer, or cannot take part */
    static CutVms find(List<String> vms, ClusterMode mode, VmSources sources, Timeouts timeouts) {
        Map<String, VmInfo> infos = new LinkedHashMap<>();
        Map<String, VmRef> refs = new LinkedHashMap<>();
        VmInventory inventory = new VmInventory(sources, timeouts);
        for (String vm : vms) {
            VmRef ref;
            try {
                ref = sources.find(vm);
            } catch (VmSourceException e) {
                throw new SnapshotException(SnapshotException.Kind.REFUSED, e.getMessage());
            }
            refs.put(vm, ref);
            // Before the job connects: the QMP socket serves one client at a time.
            VmInfo info = inventory.describe(ref);
            if (info.error() != null) {
                throw new SnapshotException(SnapshotException.Kind.REFUSED, vm + ": " + info.error());
            }
            if (mode == ClusterMode.HOLD) {
                HotEligibility.holdRefusal(info).ifPresent(why -> {
                    throw new SnapshotException(SnapshotException.Kind.REFUSED, vm + ": " + why);
                });
            }
            infos.put(vm, info);
        }
        return new CutVms(mode, refs, infos);
    }

    /** How the mode covers {@code vm}, as its inventory says (the hold's own install may still fall back: see AgentSnapshot). */
    Optional<Coverage> coverage(String vm) {
        return Coverage.of(mode, infos.get(vm));
    }

    VmRef ref(String vm) {
        return refs.get(vm);
    }

    /** The netdevs the hold switches for {@code vm}. */
    List<String> netdevs(String vm) {
        return infos.get(vm).nics().stream().map(NicInfo::netdev).filter(n -> n != null && !n.isBlank()).distinct().toList();
    }

    /** Each VM's first MAC, by VM: what the baselines' drops tell its frames by. */
    Map<String, String> macs() {
        Map<String, String> macs = new LinkedHashMap<>();
        infos.forEach((vm, info) -> info.nics().stream().filter(n -> n.mac() != null).findFirst().ifPresent(n -> macs.put(vm, n.mac())));
        return macs;
    }

    List<TrafficCapture.Tap> taps() {
        List<TrafficCapture.Tap> taps = new ArrayList<>();
        for (VmInfo info : infos.values()) {
            for (NicInfo nic : info.nics()) {
                if (nic.ifname() != null && nic.mac() != null) {
                    taps.add(new TrafficCapture.Tap(info.name(), nic.ifname(), nic.mac(), info.pid()));
                }
            }
        }
        return taps;
    }
}
