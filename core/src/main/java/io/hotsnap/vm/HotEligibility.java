package io.hotsnap.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * What the inventory alone says against a hot (hold-mode) snapshot of a VM, phrased for the
 * administrator with the way out. The agent checks again, and more (capabilities, space), at
 * prepare: this is the early warning the console shows next to each VM.
 */
public final class HotEligibility {

    private HotEligibility() {
    }

    /** Empty when nothing in the inventory stands in the way. */
    public static List<String> problems(VmInfo vm) {
        List<String> problems = new ArrayList<>();
        if (vm.error() != null) {
            problems.add("QMP does not answer: " + vm.error());
            return problems;
        }
        if (!"running".equals(vm.state()) && !"paused".equals(vm.state())) {
            problems.add("the VM is " + vm.state() + ", not running");
        }
        // An unknown spelling is not held against the VM: prepare asks QEMU itself.
        if (vm.qemuVersion() != null && !Versions.atLeast(vm.qemuVersion(), 6, 0).orElse(true)) {
            problems.add("QEMU " + vm.qemuVersion() + " has no background-snapshot (needs 6.0 or later): only stop-and-copy");
        }
        for (NicInfo nic : vm.nics()) {
            if (nic.vhost()) {
                problems.add("NIC " + nic.id() + " uses vhost-net, which the inbound hold cannot see: " + vhostWayOut(vm));
            }
        }
        return problems;
    }

    /** What to change for a vhost-net NIC, in the words of the VM's manager. */
    public static String vhostWayOut(VmInfo vm) {
        return VmRef.LIBVIRT.equals(vm.source())
                ? "use barrier mode, or give the domain's <interface> a <driver name='qemu'/>"
                : "use barrier mode, or vhost=off";
    }
}
