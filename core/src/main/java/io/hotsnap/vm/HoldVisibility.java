package io.hotsnap.vm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether QEMU's inbound hold (a {@code filter-buffer} on a netdev) can see a VM's inbound traffic.
 * It cannot when a NIC's packets bypass QEMU's net layer (vhost-net, vhost-user, vDPA) or when a
 * host NIC is passed through ({@code vfio-pci}): {@code --mode auto} then covers the VM by a pause
 * before the cut instead.
 */
public final class HoldVisibility {

    /**
     * Test-only seam: VM names (comma-separated) declared unseeable, as a host without
     * {@code /dev/vhost-net} cannot make a real vhost NIC. Forwarded to a local child agent like
     * every {@code hotsnap.} property.
     */
    public static final String DECLARED_UNSEEN_PROPERTY = "hotsnap.test.holdUnseenVms";

    private HoldVisibility() {
    }

    /**
     * Why the hold cannot see {@code vm}'s inbound traffic, in the administrator's words; null
     * when it can.
     *
     * @param passedThrough the host PCI devices passed through to it ({@link QemuProcess#passedThroughDevices()})
     */
    public static String whyUnseen(String vm, List<NicInfo> nics, List<String> passedThrough) {
        List<String> reasons = new ArrayList<>();
        for (NicInfo nic : nics) {
            if (nic.vhost() || nic.backend() != null && nic.backend().startsWith("vhost-")) {
                reasons.add("NIC " + nic.id() + " (netdev " + nic.netdev() + ", " + nic.backend()
                        + ") uses vhost, which bypasses QEMU's net filters");
            }
        }
        if (!passedThrough.isEmpty()) {
            reasons.add("host device " + String.join(", ", passedThrough) + " is passed through (vfio-pci): QEMU never sees its traffic");
        }
        if (declaredUnseen(vm)) {
            reasons.add("its NICs are declared unseeable by " + DECLARED_UNSEEN_PROPERTY);
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private static boolean declaredUnseen(String vm) {
        return Arrays.asList(System.getProperty(DECLARED_UNSEEN_PROPERTY, "").split(",")).contains(vm);
    }
}
