package io.hotsnap.libvirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.GuestImage;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.SerialLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test domains under the host's real libvirtd ({@code qemu:///system}), booted from the lab's
 * kernel and initramfs like lab VMs ({@code type='qemu'}, a qcow2 disk, a virtio NIC on a lab
 * bridge without vhost; or neither). Their files live where libvirt's unprivileged QEMU can read them.
 */
public final class LibvirtDomains implements AutoCloseable {

    public static final String URI = "qemu:///system";
    private static final Duration VIRSH = Duration.ofSeconds(60);
    /**
     * Creating a domain makes libvirtd probe QEMU's capabilities when its cache is stale: 48-80 s
     * here before installers/start-libvirt.sh gave /dev/kvm to group kvm (docs/LIBVIRT-RESTORE.md),
     * under 1 s since. The bound stays generous for a host whose cache is stale for another reason.
     */
    private static final Duration CREATE = Duration.ofMinutes(5);
    private static final Path DIR = Path.of("/var/lib/libvirt/images/hotsnap-it");

    /** One domain: its name, address on the lab subnet, the peer it streams to, its MAC. */
    public record Domain(String name, String ip, String peerIp, String mac) {
        public Path serialLog() {
            return DIR.resolve(name + ".serial.log");
        }
    }

    private final List<Domain> started = new ArrayList<>();

    /** libvirtd up (started here if need be: no systemd), the guest files copied where QEMU can read them. */
    public static LibvirtDomains prepare() throws IOException {
        HostCommand.check(List.of("../installers/start-libvirt.sh"), Duration.ofSeconds(60));
        GuestImage image = GuestImage.cached(LabConfig.defaults().guestCache())
                .orElseThrow(() -> new IllegalStateException("no lab guest: run ./hotsnap lab guest"));
        Files.createDirectories(DIR);
        Files.copy(image.vmlinux(), DIR.resolve("vmlinux"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(image.initrd(), DIR.resolve("initrd.img"), StandardCopyOption.REPLACE_EXISTING);
        return new LibvirtDomains();
    }

    public static String virsh(String... words) {
        List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", URI));
        command.addAll(List.of(words));
        return HostCommand.check(command, VIRSH).stdout().strip();
    }

    /** Starts the domain (transient: nothing of it stays defined), removing the remains of a crashed earlier run first. */
    void start(Domain d, String bridge, String extraXml) throws IOException {
        remove(d.name());
        Path disk = DIR.resolve(d.name() + ".qcow2");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "16M"), VIRSH);
        launch(d, "create", xml(d, "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + disk
                + "'/><target dev='vda' bus='virtio'/></disk>", "<interface type='bridge'><source bridge='" + bridge + "'/><mac address='"
                + d.mac() + "'/><model type='virtio'/><driver name='qemu'/></interface>", extraXml));
    }

    /**
     * Defines the domain (persistent, as administrators keep theirs) with these disk and NIC
     * elements, then starts it; removing the remains of a crashed earlier run first.
     */
    public void defineAndStart(Domain d, String diskXml, String nicXml) throws IOException {
        remove(d.name());
        launch(d, "define", xml(d, diskXml, nicXml, ""));
        HostCommand.check(List.of("virsh", "-q", "-c", URI, "start", d.name()), CREATE);
    }

    /** A domain with neither disk nor NIC (a kernel boot, as PXE or a live ISO boots): the guest ticks from memory alone. */
    void startDiskless(Domain d) throws IOException {
        remove(d.name());
        launch(d, "create", xml(d, "", "", ""));
    }

    private String xml(Domain d, String diskXml, String nicXml, String extraXml) {
        return """
                <domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
                  <name>%s</name>
                  <memory unit='MiB'>256</memory>
                  <vcpu>1</vcpu>
                  <os><type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%s/vmlinux</kernel><initrd>%s/initrd.img</initrd>
                    <cmdline>%s hs.name=%s hs.ip=%s/24 hs.peer=%s hs.dirty=0</cmdline>
                  </os>
                  <on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>
                  <devices>
                    %s
                    %s
                    <serial type='file'><source path='%s'/></serial>
                    <memballoon model='none'/>
                  </devices>
                  %s
                </domain>
                """.formatted(d.name(), DIR, DIR, GuestImage.KERNEL_OPTIONS, d.name(), d.ip(), d.peerIp(), diskXml, nicXml, d.serialLog(), extraXml);
    }

    /** {@code virsh create} or {@code define} of the domain's XML, its serial log afresh. */
    private void launch(Domain d, String verb, String xml) throws IOException {
        Files.deleteIfExists(d.serialLog());
        Path file = DIR.resolve(d.name() + ".xml");
        Files.writeString(file, xml);
        HostCommand.check(List.of("virsh", "-q", "-c", URI, verb, file.toString()), CREATE);
        started.add(d);
    }

    /** Waits until every started guest ticks on its serial console. */
    public void awaitTicks(Duration bound) {
        AtomicInteger polls = new AtomicInteger();
        await().atMost(bound).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Domain> silent = started.stream().filter(d -> SerialLog.lastTick(d.serialLog()).isEmpty()).toList();
            // A guest that died while booting (seen once in CI: gone 4 s after its start) never ticks.
            if (polls.incrementAndGet() % 10 == 0) {
                for (Domain d : silent) {
                    assertStillBooting(d);
                }
            }
            assertEquals(List.of(), silent.stream().map(Domain::name).toList(), "domains without a tick after " + bound);
        });
    }

    /** Not an assertion error: the wait must end at once, not poll on a dead guest. */
    private static void assertStillBooting(Domain d) throws IOException {
        if (!HostCommand.run(List.of("virsh", "-q", "-c", URI, "domstate", d.name()), VIRSH).stdout().strip().equals("running")) {
            throw new IllegalStateException(d.name() + " stopped before its first tick; its console said: "
                    + (Files.exists(d.serialLog()) ? tail(Files.readString(d.serialLog())) : "nothing"));
        }
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 1500));
    }

    /** {@code virsh domstate}: what libvirt believes. */
    public static String state(String domain) {
        return virsh("domstate", domain);
    }

    private static void remove(String domain) {
        HostCommand.run(List.of("virsh", "-q", "-c", URI, "destroy", domain), VIRSH);
        HostCommand.run(List.of("virsh", "-q", "-c", URI, "undefine", domain), VIRSH);
    }

    /** Every domain destroyed and undefined, their files removed. */
    @Override
    public void close() throws IOException {
        for (Domain d : started) {
            remove(d.name());
        }
        started.clear();
        if (Files.isDirectory(DIR)) {
            try (var files = Files.list(DIR)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(DIR);
        }
    }
}
