package io.hotsnap.bench;

import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.GuestImage;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.libvirt.Virsh;
import io.hotsnap.libvirt.VirshException;
import io.hotsnap.settings.Waits;
import io.hotsnap.util.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The transient libvirt domain {@code hotsnap bench --peer libvirt} measures on: the lab guest
 * (kernel, initramfs, its memory dirtier on the kernel command line) with one qcow2 disk and no
 * NIC, so that only the snapshot methods differ. Its files live where libvirt's unprivileged QEMU
 * can read them; nothing of it stays defined once destroyed.
 */
final class PeerDomain {

    static final String NAME = "hs-bench-peer";
    static final Path DIR = Path.of("/var/lib/libvirt/images/hotsnap-bench");

    private final Virsh virsh;
    private final Duration timeout;

    PeerDomain(Virsh virsh, Duration timeout) {
        this.virsh = virsh;
        this.timeout = timeout;
    }

    static Path disk() {
        return DIR.resolve(NAME + ".qcow2");
    }

    static Path serialLog() {
        return DIR.resolve(NAME + ".serial.log");
    }

    /** Boots the domain afresh (the remains of an earlier run removed first) and waits for its guest to tick. */
    void start(GuestImage image, int memoryMiB, int dirtyMiBps) {
        destroy();
        try {
            Files.createDirectories(DIR);
            Files.copy(image.vmlinux(), DIR.resolve("vmlinux"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(image.initrd(), DIR.resolve("initrd.img"), StandardCopyOption.REPLACE_EXISTING);
            HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk().toString(), "16M"), timeout);
            Path xml = DIR.resolve(NAME + ".xml");
            Files.writeString(xml, xml(memoryMiB, dirtyMiBps));
            virsh.run(List.of("create", xml.toString()), Waits.BENCH_DOMAIN_CREATE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the bench domain in " + DIR + ": " + e.getMessage(), e);
        }
        if (!Poll.every(Waits.SERIAL_TICK_POLL, Waits.BENCH_DOMAIN_BOOT).until(() -> SerialLog.lastTick(serialLog()).isPresent())) {
            throw new BenchException(NAME + " did not boot within " + Waits.BENCH_DOMAIN_BOOT.toSeconds() + " s (see " + serialLog() + ")");
        }
    }

    private static String xml(int memoryMiB, int dirtyMiBps) {
        return """
                <domain type='qemu'>
                  <name>%1$s</name>
                  <memory unit='MiB'>%2$d</memory>
                  <vcpu>1</vcpu>
                  <os><type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%3$s/vmlinux</kernel><initrd>%3$s/initrd.img</initrd>
                    <cmdline>%7$s hs.name=%1$s hs.dirty=%4$d</cmdline>
                  </os>
                  <on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>
                  <devices>
                    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='%5$s'/><target dev='vda' bus='virtio'/></disk>
                    <serial type='file'><source path='%6$s'/></serial>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(NAME, memoryMiB, DIR, dirtyMiBps, disk(), serialLog(), GuestImage.KERNEL_OPTIONS);
    }

    String state() {
        return virsh.run(List.of("domstate", NAME), timeout).strip();
    }

    /** Never leaves the guest paused: resumes it if anything did. */
    void ensureRunning() {
        if (state().equals("paused")) {
            virsh.run(List.of("resume", NAME), timeout);
        }
    }

    /** The domain gone and its files removed; never throws. */
    void destroy() {
        try {
            virsh.run(List.of("destroy", NAME), timeout);
        } catch (VirshException e) {
            // not running: nothing to destroy
        }
        try {
            if (Files.isDirectory(DIR)) {
                try (var files = Files.list(DIR)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(DIR);
            }
        } catch (IOException e) {
            // reported by the next start, which needs the directory
        }
    }
}
