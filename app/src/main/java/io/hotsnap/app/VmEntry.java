package io.hotsnap.app;

import io.hotsnap.vm.DiskInfo;
import io.hotsnap.vm.HotEligibility;
import io.hotsnap.vm.NicInfo;
import io.hotsnap.vm.VmInfo;
import java.util.List;
import java.util.stream.Collectors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/** One VM in the inventory tree: what the host's agent reported, and whether the administrator picked it. */
public final class VmEntry {

    private final String host;
    private final VmInfo info;
    private final List<String> problems;
    private final BooleanProperty selected = new SimpleBooleanProperty(this, "selected");

    VmEntry(String host, VmInfo info) {
        this.host = host;
        this.info = info;
        this.problems = HotEligibility.problems(info);
    }

    public String host() {
        return host;
    }

    public String name() {
        return info.name();
    }

    /** The tree's first line: the inventory name, and QEMU's own {@code -name} beside it when that differs. */
    public String label() {
        String qemuName = info.qemuName();
        return qemuName == null || qemuName.equals(name()) ? name() : name() + " (" + qemuName + ")";
    }

    /** Whether {@code key} ({@code host/vm}) names this VM, by its inventory name or by QEMU's {@code -name}. */
    public boolean isNamed(String key) {
        int slash = key.indexOf('/');
        return slash > 0 && key.substring(0, slash).equals(host) && info.isNamed(key.substring(slash + 1));
    }

    public VmInfo info() {
        return info;
    }

    /** Why a hot snapshot would be refused; empty when it is eligible. */
    public List<String> problems() {
        return problems;
    }

    public boolean eligible() {
        return problems.isEmpty();
    }

    /** Can be part of a cut at all: its QMP answers (a vhost NIC is covered by barrier in auto mode). */
    public boolean reachable() {
        return info.error() == null;
    }

    public BooleanProperty selectedProperty() {
        return selected;
    }

    public boolean isSelected() {
        return selected.get();
    }

    /** The tree's second and third lines: state, memory, QEMU; disks and NICs. */
    public String details() {
        if (info.error() != null) {
            return "unreachable";
        }
        String memory = info.memoryBytes() == null ? "? MiB" : (info.memoryBytes() >> 20) + " MiB";
        String disks = info.disks().size() == 1 ? "1 disk" : info.disks().size() + " disks";
        long diskBytes = info.disks().stream().mapToLong(DiskInfo::sizeBytes).sum();
        String nics = info.nics().isEmpty() ? "no NIC" : info.nics().stream().map(VmEntry::nic).collect(Collectors.joining(", "));
        return String.format("%s · %s · QEMU %s%n%s (%d MiB) · %s", info.state(), memory, info.qemuVersion(), disks,
                diskBytes >> 20, nics);
    }

    private static String nic(NicInfo n) {
        return n.model() + (n.vhost() ? " vhost-net" : "");
    }

    @Override
    public String toString() {
        return host + "/" + name();
    }
}
