package io.hotsnap.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the inventory alone says against a hot snapshot of a VM, phrased for the administrator
 * with the way out; and, apart, why hold mode in particular refuses it. The agent checks again, and more (capabilities, space), at
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
        return problems;
    }

    /**
     * Why {@code --mode hold}, an explicit choice, refuses the VM: the hold cannot see its inbound
     * traffic. Empty when it can ({@code --mode auto} covers such a VM by a pause instead).
     */
    public static Optional<String> holdRefusal(VmInfo vm) {
        return Optional.ofNullable(vm.holdUnseen()).map(why -> why + ": the inbound hold cannot see its traffic ("
                + wayOut(vm) + ")");
    }

    /** What to do instead, in the words of the VM's manager. */
    private static String wayOut(VmInfo vm) {
        return VmRef.LIBVIRT.equals(vm.source())
                ? "use --mode auto or barrier, or give the domain's <interface> a <driver name='qemu'/>"
                : "use --mode auto or barrier, or vhost=off";
    }
}
