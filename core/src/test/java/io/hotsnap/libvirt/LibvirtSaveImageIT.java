package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.GuestImage;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.PrivateFiles;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.UnprivilegedUserfaultfd;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A background snapshot of a real libvirt domain (taken through libvirt's monitor pass-through,
 * the domain running on), restored by {@code virsh restore} from our save image as a clone.
 */
class LibvirtSaveImageIT {

    /** The background snapshot of libvirt's (unprivileged) QEMU needs it. */
    @RegisterExtension
    static final UnprivilegedUserfaultfd UFFD = new UnprivilegedUserfaultfd();

    private static final String URI = "qemu:///system";
    private static final String ORIGINAL = "hsv-it-orig";
    private static final String CLONE = "hsv-it-clone";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** libvirt's QEMU user must reach the kernel, disks and sockets: not under root's home. */
    private static final Path DIR = Path.of("/var/lib/libvirt/images/hsv-it");

    @AfterEach
    void removeDomainsAndFiles() throws IOException {
        for (String d : List.of(CLONE, ORIGINAL)) {
            HostCommand.run(List.of("virsh", "-c", URI, "destroy", d), TIMEOUT); // transient domains: gone once destroyed
        }
        PrivateFiles.deleteTree(DIR);
    }

    @Test
    void aSnapshotComesBackUnderLibvirtAsACloneWhoseTicksGoOnFromTheSnapshotPoint() throws Exception {
        HostCommand.Result version = HostCommand.run(List.of("virsh", "-c", URI, "version"), TIMEOUT);
        assertTrue(version.ok(), "libvirtd does not answer on " + URI + " (installers/start-libvirt.sh starts it): " + version.stderr());
        PrivateFiles.deleteTree(DIR);
        Files.createDirectories(DIR.resolve("part"));
        GuestImage image = GuestImage.ensure(LabConfig.defaults().guestCache(), Optional.empty());
        Files.copy(image.vmlinux(), DIR.resolve("vmlinux"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(image.initrd(), DIR.resolve("initrd.img"), StandardCopyOption.REPLACE_EXISTING);
        Path disk = DIR.resolve("disk.qcow2");
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "32M"), TIMEOUT);
        Path domainFile = Files.writeString(DIR.resolve("domain.xml"), domainXml(disk));
        HostCommand.check(List.of("virsh", "-c", URI, "create", domainFile.toString()), TIMEOUT);
        Path originalLog = DIR.resolve(ORIGINAL + ".serial.log");
        GuestLog.firstTick(originalLog);

        Path partDir = DIR.resolve("part");
        String recordedXml = virsh("dumpxml", "--migratable", ORIGINAL);
        monitor("{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":["
                + "{\"capability\":\"background-snapshot\",\"state\":true},{\"capability\":\"events\",\"state\":true}]}}");
        Path memory = partDir.resolve("memory.bin");
        Path socket = DIR.resolve("migrate.sock");
        CompletableFuture<Long> received = receive(socket, memory);
        long tickBefore = lastTick(originalLog);
        monitor("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"unix:" + socket + "\"}}");
        long tickAtReturn = lastTick(originalLog);
        awaitMigrationCompleted();
        received.get();
        assertEquals("running", virsh("domstate", ORIGINAL), "the snapshot left the domain running");
        Files.copy(disk, partDir.resolve("vda.qcow2")); // the guest never writes this disk: a copy now is the snapshot point's
        VmPart part = new VmPart(ORIGINAL, "", List.of(), "", 256L << 20, file(partDir, "memory.bin"),
                List.of(new DiskCopy("vda", "", disk.toString(), "qcow2", 32L << 20, file(partDir, "vda.qcow2"))), 0, 0, 0, 0, null);

        LibvirtRestore restore = new LibvirtRestore(URI, TIMEOUT);
        LibvirtRestore.Restored clone = restore.restore(partDir, part, recordedXml, Optional.of(CLONE), DIR, false);

        assertEquals(CLONE, clone.domain());
        assertEquals("running", virsh("domstate", CLONE));
        assertTrue(virsh("list", "--name").lines().anyMatch(CLONE::equals), "virsh list shows the clone");
        assertTrue(virsh("domblklist", CLONE).contains(clone.overlays().get(disk.toString()).toString()), "the clone writes to its overlay");
        long first = GuestLog.firstTick(DIR.resolve(CLONE + ".serial.log"));
        assertTrue(first > tickBefore && first <= tickAtReturn + 2,
                "the clone's first tick " + first + " follows the snapshot point (ticks " + tickBefore + ".." + tickAtReturn + ")");
        assertEquals("running", virsh("domstate", ORIGINAL), "the original runs on beside its clone");

        SnapshotException taken = assertThrows(SnapshotException.class,
                () -> restore.restore(partDir, part, recordedXml, Optional.of(CLONE), DIR, false));
        assertTrue(taken.getMessage().contains("a libvirt domain named '" + CLONE + "' exists"), taken.getMessage());
        SnapshotException inPlace = assertThrows(SnapshotException.class,
                () -> restore.restore(partDir, part, recordedXml, Optional.empty(), DIR, false));
        assertTrue(inPlace.getMessage().contains("confirm"), inPlace.getMessage());
    }

    private static String domainXml(Path disk) {
        return """
                <domain type='qemu'>
                  <name>%1$s</name>
                  <memory unit='MiB'>256</memory>
                  <vcpu>1</vcpu>
                  <os>
                    <type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%2$s/vmlinux</kernel>
                    <initrd>%2$s/initrd.img</initrd>
                    <cmdline>console=ttyS0 quiet panic=-1 hs.name=%1$s hs.dirty=0</cmdline>
                  </os>
                  <on_poweroff>destroy</on_poweroff>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source file='%3$s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                    <serial type='file'><source path='%2$s/%1$s.serial.log'/><target port='0'/></serial>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(ORIGINAL, DIR, disk);
    }

    /** Stands in for the engine's memory receiver: the stream to a file, through a socket QEMU's user may open. */
    private static CompletableFuture<Long> receive(Path socket, Path out) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel in = server.accept();
                 FileChannel file = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long n = 0;
                for (long got; (got = file.transferFrom(in, n, 1 << 20)) > 0; ) {
                    n += got;
                }
                file.force(true);
                return n;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitMigrationCompleted() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String status = monitor("{\"execute\":\"query-migrate\"}");
            if (status.contains("\"completed\"")) {
                return;
            }
            assertTrue(!status.contains("\"failed\""), "the background snapshot failed: " + status);
            Thread.sleep(200);
        }
        throw new AssertionError("the background snapshot did not complete within " + TIMEOUT);
    }

    private static long lastTick(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.matches("tick \\d+")).map(l -> Long.parseLong(l.substring(5)))
                .reduce((a, b) -> b).orElseThrow();
    }

    private static SnapshotFile file(Path partDir, String name) throws IOException {
        Path p = partDir.resolve(name);
        return new SnapshotFile(name, Files.size(p), SnapshotFile.sha256(p));
    }

    private static String monitor(String command) {
        return virsh("qemu-monitor-command", ORIGINAL, command);
    }

    private static String virsh(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("virsh", "-c", URI));
        cmd.addAll(List.of(args));
        return HostCommand.check(cmd, TIMEOUT).stdout().strip();
    }
}
