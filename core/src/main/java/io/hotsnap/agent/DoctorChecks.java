package io.hotsnap.agent;

import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.protocol.HostCheck;
import io.hotsnap.vm.QemuBinary;
import io.hotsnap.vm.VmInfo;
import io.hotsnap.vm.Versions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Each line of a host check from what was read on the host (a kernel release, a sysctl's value,
 * {@code qemu --version}'s output, whether a tool is on PATH), so every check is decided on
 * recorded inputs alone. {@link HostDoctor} reads the host.
 */
final class DoctorChecks {

    static final String JAVA = "Java";
    static final String QEMU = "QEMU";
    static final String KERNEL = "kernel";
    static final String UFFD_SYSCTL = "vm.unprivileged_userfaultfd";
    static final String TCPDUMP = "tcpdump";
    static final String NFTABLES = "nftables";
    static final String STORE = "store space";
    static final String VHOST = "vhost NICs";
    static final String LIBVIRT = "libvirt";
    static final String PROXMOX = "Proxmox";

    static final int MIN_JAVA = 17;

    private static final List<String> BACKGROUND = HostCheck.BACKGROUND_MODES;
    private static final List<String> CLUSTER = HostCheck.CLUSTER_MODES;
    private static final List<String> ALL = HostCheck.ALL_MODES;
    private static final List<String> DROPPING = Arrays.stream(ClusterMode.values()).filter(ClusterMode::dropsAcrossCut)
            .map(ClusterMode::cliName).toList();

    private static final String UFFD_TRADE_OFF = "it lets every user, not only root, use userfaultfd, which kernel exploits"
            + " have used to stretch race windows: a trade-off for a host that runs untrusted users' code";

    private DoctorChecks() {
    }

    /** @param feature {@code Runtime.version().feature()} of the agent's JVM */
    static HostCheck java(int feature, String version, String home) {
        String found = "Java " + version + " (" + home + ")";
        return feature >= MIN_JAVA ? HostCheck.ok(JAVA, ALL, found)
                : HostCheck.fail(JAVA, ALL, found + " is older than " + MIN_JAVA, "install openjdk-17-jre-headless or newer");
    }

    /**
     * @param binary        the QEMU system emulator looked for
     * @param versionOutput what {@code binary --version} printed; empty when the binary is not on PATH
     */
    static HostCheck qemu(String binary, Optional<String> versionOutput) {
        if (versionOutput.isEmpty()) {
            return HostCheck.fail(QEMU, ALL, "no " + binary + " on PATH", "apt-get install qemu-system-x86 (QEMU 6.0 or later)");
        }
        Optional<String> version = QemuBinary.parseVersion(versionOutput.get());
        if (version.isEmpty()) {
            return HostCheck.fail(QEMU, ALL, binary + " --version printed no version: " + versionOutput.get().strip(),
                    "reinstall QEMU (qemu-system-x86)");
        }
        return withBackgroundSnapshot(binary + " " + version.get(), version.get());
    }

    /** QEMU has background-snapshot from 6.0 on: older ones can only take the baselines. */
    private static HostCheck withBackgroundSnapshot(String what, String version) {
        if (Versions.atLeast(version, "6.0").orElse(false)) {
            return HostCheck.ok(QEMU, BACKGROUND, what + ": has background-snapshot");
        }
        return HostCheck.fail(QEMU, BACKGROUND, what + " has no background-snapshot (QEMU 6.0 or later has)",
                "upgrade QEMU to 6.0 or later; until then only --mode precopy or stopcopy");
    }

    /** One line per running VM whose own QEMU is older than 6.0 (it may predate the binary on PATH). */
    static List<HostCheck> vmQemu(List<VmInfo> vms) {
        return running(vms).filter(v -> v.qemuVersion() != null && !Versions.atLeast(v.qemuVersion(), "6.0").orElse(true))
                .map(v -> withBackgroundSnapshot("VM " + v.name() + " runs QEMU " + v.qemuVersion(), v.qemuVersion())
                        .withCheck(QEMU + " of " + v.name()))
                .toList();
    }

    /**
     * @param release             {@code /proc/sys/kernel/osrelease} ({@code uname -r})
     * @param userfaultfdBuiltIn  whether {@code /proc/sys/vm/unprivileged_userfaultfd} exists (a kernel with userfaultfd)
     */
    static HostCheck kernel(String release, boolean userfaultfdBuiltIn) {
        Optional<Boolean> recent = Versions.atLeast(release, 5, 7);
        if (!userfaultfdBuiltIn) {
            return HostCheck.fail(KERNEL, BACKGROUND, "Linux " + release + " has no userfaultfd (CONFIG_USERFAULTFD)",
                    "boot a kernel built with userfaultfd, 5.7 or later (every distribution kernel is)");
        }
        if (recent.isEmpty()) {
            return HostCheck.warn(KERNEL, BACKGROUND, "cannot tell the version of kernel '" + release + "'",
                    "make sure it is Linux 5.7 or later (userfaultfd write-protect)");
        }
        return recent.get() ? HostCheck.ok(KERNEL, BACKGROUND, "Linux " + release + ": userfaultfd write-protect")
                : HostCheck.fail(KERNEL, BACKGROUND, "Linux " + release + " lacks userfaultfd write-protect (5.7 or later has)",
                "upgrade the kernel to 5.7 or later; until then only --mode precopy or stopcopy");
    }

    /**
     * @param value        the sysctl's value, empty when the kernel has no such sysctl
     * @param notRootVms   the running VMs whose QEMU does not run as root
     * @param libvirtSeen  libvirt manages VMs here (its QEMU runs as libvirt-qemu unless told otherwise)
     */
    static HostCheck unprivilegedUserfaultfd(Optional<String> value, List<String> notRootVms, boolean libvirtSeen) {
        boolean on = value.map(String::strip).filter("1"::equals).isPresent();
        if (on) {
            return HostCheck.ok(UFFD_SYSCTL, BACKGROUND, "1: QEMU not run as root can snapshot; note that " + UFFD_TRADE_OFF);
        }
        String is = value.map(v -> "is " + v.strip()).orElse("is absent (kernel older than 5.2: root only)");
        String fix = "sysctl vm.unprivileged_userfaultfd=1 (and in /etc/sysctl.d/ to keep it): " + UFFD_TRADE_OFF
                + "; or run QEMU as root. HotSnap never changes it for you";
        if (!notRootVms.isEmpty()) {
            return HostCheck.fail(UFFD_SYSCTL, BACKGROUND, is + ", and the QEMU of " + String.join(", ", notRootVms)
                    + " is not root: its background snapshot is refused", fix);
        }
        if (libvirtSeen) {
            return HostCheck.warn(UFFD_SYSCTL, BACKGROUND, is + ": libvirt's QEMU (user libvirt-qemu) could not snapshot", fix);
        }
        return HostCheck.ok(UFFD_SYSCTL, BACKGROUND, is + "; every running QEMU is root, which needs no sysctl");
    }

    static HostCheck tcpdump(boolean onPath) {
        return onPath ? HostCheck.ok(TCPDUMP, CLUSTER, "on PATH: TCP stalls, retransmissions and orphans are measured")
                : HostCheck.warn(TCPDUMP, CLUSTER, "not on PATH: cuts are taken, without TCP stall and orphan figures",
                "apt-get install tcpdump");
    }

    static HostCheck nftables(boolean onPath) {
        return onPath ? HostCheck.ok(NFTABLES, DROPPING, "nft on PATH: the baselines can drop frames across the cut")
                : HostCheck.fail(NFTABLES, DROPPING, "no nft on PATH: the precopy and stopcopy baselines are refused",
                "apt-get install nftables");
    }

    /**
     * @param usableBytes free to this user on the store's file system (of its nearest existing directory)
     * @param neededBytes memory and disks of every running VM: what a snapshot of them all copies
     */
    static HostCheck storeSpace(String store, long usableBytes, long neededBytes) {
        String figures = String.format("%s: %d MiB free, %d MiB for a snapshot of every running VM (memory + disks)", store,
                usableBytes >> 20, neededBytes >> 20);
        return usableBytes >= neededBytes ? HostCheck.ok(STORE, ALL, figures)
                : HostCheck.fail(STORE, ALL, figures, "free space there, or give another store (--store DIR)");
    }

    static HostCheck storeUnreadable(String store, String why) {
        return HostCheck.fail(STORE, ALL, store + ": " + why, "give a store on a local file system (--store DIR)");
    }

    /**
     * The VMs the inbound hold cannot see (vhost, vhost-user, a passed-through NIC: the same rule auto
     * mode applies, {@code VmInfo.holdUnseen}): the line names them, why, and how each mode treats them.
     */
    static HostCheck vhost(List<VmInfo> vms) {
        List<String> covered = running(vms).filter(v -> v.holdUnseen() != null).map(v -> v.name() + " (" + v.holdUnseen() + ")").toList();
        List<String> modes = List.of(ClusterMode.HOLD.cliName());
        if (covered.isEmpty()) {
            return HostCheck.ok(VHOST, modes, "no running VM has a NIC the hold cannot see: the hold sees every VM's traffic");
        }
        return HostCheck.warn(VHOST, modes, String.join(", ", covered) + ": covered by barrier under --mode auto; refused by --mode hold",
                "--mode auto (or barrier); to hold them: vhost=off, or <driver name='qemu'/> in a libvirt domain's <interface>");
    }

    /**
     * @param unavailable the VM sources that could not be listed, with why
     */
    static List<HostCheck> managers(boolean virshInstalled, boolean proxmoxPresent, List<VmInfo> vms, List<String> unavailable) {
        List<HostCheck> lines = new ArrayList<>();
        lines.add(manager(LIBVIRT, "libvirt", virshInstalled, "virsh installed", "no virsh: libvirt domains are not looked for", vms, unavailable));
        lines.add(manager(PROXMOX, "proxmox", proxmoxPresent, "/var/run/qemu-server present",
                "no /var/run/qemu-server: not a Proxmox host", vms, unavailable));
        return lines;
    }

    private static HostCheck manager(String check, String source, boolean present, String seen, String absent, List<VmInfo> vms,
                                     List<String> unavailable) {
        Optional<String> failure = unavailable.stream().filter(u -> u.toLowerCase(Locale.ROOT).contains(source)).findFirst();
        if (present && failure.isPresent()) {
            return HostCheck.warn(check, ALL, seen + ", but its VMs cannot be listed: " + failure.get(),
                    source.equals("libvirt") ? "start libvirtd (installers/start-libvirt.sh without systemd)" : "check Proxmox's qemu-server");
        }
        if (!present) {
            return HostCheck.ok(check, ALL, absent);
        }
        long count = vms.stream().filter(v -> source.equals(v.source())).count();
        return HostCheck.ok(check, ALL, seen + ": " + count + " VM(s) found");
    }

    private static Stream<VmInfo> running(List<VmInfo> vms) {
        return vms.stream().filter(v -> v.error() == null && v.memoryBytes() != null);
    }
}
