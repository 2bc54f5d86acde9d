package io.hotsnap.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.libvirt.LibvirtDomains;
import io.hotsnap.testing.Abandoned;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.GuestDisk;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.UnprivilegedUserfaultfd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * libvirt as administrators run it: a persistent domain ({@code virsh define}, then {@code start})
 * whose disk is a block device (a loop device made here) and whose NIC is on an isolated libvirt
 * network defined here (no {@code <forward>}: nothing leaves the machine). One snapshot of it is
 * restored as a persistent clone, as a transient clone, and in place, where the domain's
 * definition follows the restore: destroyed and started again, it boots the restored disk, never
 * the block device it ran on before. One guest boots (plus its clones and the cold start).
 */
class PersistentDomainRestoreIT {

    private static final String NETWORK = "hs-lr-net";
    private static final LibvirtDomains.Domain A = new LibvirtDomains.Domain("hs-lr-a", "10.104.0.21", "10.104.0.1", "52:54:00:68:00:21");
    private static final Duration VIRSH = Duration.ofSeconds(60);

    @RegisterExtension
    static final UnprivilegedUserfaultfd UFFD = new UnprivilegedUserfaultfd();
    @TempDir
    static Path dir;
    private static LibvirtDomains domains;
    private static Path loop;

    @BeforeAll
    static void defineAndStartTheDomain() throws Exception {
        domains = LibvirtDomains.prepare();
        removeNetwork();
        Path net = dir.resolve("net.xml");
        // No <forward>: an isolated network; no DNS/DHCP, so libvirt starts no dnsmasq for it.
        Files.writeString(net, "<network><name>" + NETWORK + "</name><bridge name='hslr0' stp='off'/><dns enable='no'/>"
                + "<ip address='10.104.0.1' netmask='255.255.255.0'/></network>");
        // Where libvirt's network driver keeps each network's MAC map (written when a domain joins it);
        // libvirt's packages here do not make it, its absence fails the domain's start.
        Files.createDirectories(Path.of("/var/lib/libvirt/dnsmasq"));
        LibvirtDomains.virsh("net-define", net.toString());
        LibvirtDomains.virsh("net-start", NETWORK);
        Path backing = dir.resolve("lr-a.raw");
        HostCommand.check(List.of("truncate", "-s", "16M", backing.toString()), VIRSH);
        loop = Path.of(HostCommand.check(List.of("losetup", "-f", "--show", backing.toString()), VIRSH).stdout().strip());
        domains.defineAndStart(A, "<disk type='block' device='disk'><driver name='qemu' type='raw' cache='none'/><source dev='" + loop
                + "'/><target dev='vda' bus='virtio'/></disk>", "<interface type='network'><source network='" + NETWORK + "'/><mac address='"
                + A.mac() + "'/><model type='virtio'/><driver name='qemu'/></interface>");
        domains.awaitTicks(Duration.ofSeconds(120));
    }

    @AfterAll
    static void removeEverything() throws Exception {
        try {
            if (domains != null) {
                domains.close();
            }
        } finally {
            removeNetwork();
            if (loop != null) {
                HostCommand.run(List.of("losetup", "-d", loop.toString()), VIRSH);
            }
        }
    }

    private static void removeNetwork() {
        HostCommand.run(List.of("virsh", "-q", "-c", LibvirtDomains.URI, "net-destroy", NETWORK), VIRSH);
        HostCommand.run(List.of("virsh", "-q", "-c", LibvirtDomains.URI, "net-undefine", NETWORK), VIRSH);
    }

    @Test
    void aPersistentBlockDiskDomainComesBackAsEitherKindOfCloneAndInPlaceWithItsDefinitionFollowing(@TempDir Path store) throws Exception {
        assertEquals("yes", persistent(A.name()));
        long tickBefore = SerialLog.lastTick(A.serialLog()).orElseThrow();
        CliRun snap = Abandoned.retried(() -> committed(CliRun.of("snapshot", "--vms", A.name(), "--json", "--store", store.toString())));
        long tickAtReturn = SerialLog.lastTick(A.serialLog()).orElseThrow();
        String id = snap.json().path("id").asText();
        JsonNode part = snap.json().path("vms").get(0);
        figure("snapshot of persistent block-disk domain: pause " + part.path("downtimeMs").asDouble() + " ms, full (memory + disk copy) "
                + part.path("fullMs").asDouble() + " ms, disk copy " + part.path("diskBytes").asLong() + " bytes");
        assertTrue(part.path("diskBytes").asLong() > 0, "the block device was copied: " + part);
        assertEquals("running", LibvirtDomains.state(A.name()));

        for (boolean persistentClone : List.of(true, false)) {
            String clone = A.name() + (persistentClone ? "-p" : "-t");
            try {
                List<String> args = new ArrayList<>(List.of("restore", id, "--vms", A.name(), "--as-clone", clone, "--json", "--store", store.toString()));
                if (persistentClone) {
                    args.add("--persistent");
                }
                CliRun r = timed("restore as a " + (persistentClone ? "persistent" : "transient") + " clone", args.toArray(String[]::new));
                assertEquals(0, r.code(), r.err());
                assertEquals("running", LibvirtDomains.state(clone));
                assertEquals(persistentClone ? "yes" : "no", persistent(clone));
                assertTicksOnFromTheSnapshot(A.serialLog().resolveSibling(clone + ".serial.log"), tickBefore, tickAtReturn);
                LibvirtDomains.virsh("destroy", clone);
                assertEquals(persistentClone ? List.of(clone) : List.of(), LibvirtDomains.virsh("list", "--all", "--name").lines()
                        .filter(clone::equals).toList(), "after it stops, libvirt keeps only the persistent clone");
            } finally {
                HostCommand.run(List.of("virsh", "-q", "-c", LibvirtDomains.URI, "destroy", clone), VIRSH);
                HostCommand.run(List.of("virsh", "-q", "-c", LibvirtDomains.URI, "undefine", clone), VIRSH);
            }
        }
        assertEquals("running", LibvirtDomains.state(A.name()), "the original ran on beside its clones");

        CliRun inPlace = timed("restore in place", "restore", id, "--json", "--store", store.toString());

        assertEquals(0, inPlace.code(), inPlace.err());
        long originalsLastTick = GuestDisk.tickInSectorZero(loop, "raw");
        assertTrue(originalsLastTick > tickAtReturn, "the block device holds what the original wrote after the snapshot: " + originalsLastTick);
        assertEquals("running", LibvirtDomains.state(A.name()));
        assertEquals("yes", persistent(A.name()));
        assertTicksOnFromTheSnapshot(A.serialLog(), tickBefore, tickAtReturn);
        Path overlay = Path.of(LibvirtDomains.virsh("domblklist", A.name()).lines().filter(l -> l.strip().startsWith("vda"))
                .findFirst().orElseThrow().strip().split("\\s+")[1]);
        assertTrue(overlay.toString().contains("-from-" + id) && overlay.startsWith(store), "the block disk runs on an overlay in the store: " + overlay);
        assertTrue(LibvirtDomains.virsh("dumpxml", "--inactive", A.name()).contains("file='" + overlay + "'"),
                "the persistent definition names the restored disk");
        assertTrue(LibvirtDomains.virsh("domiflist", A.name()).contains(NETWORK), "the NIC is on its libvirt network again");

        LibvirtDomains.virsh("destroy", A.name());
        long restoredLastTick = GuestDisk.tickInSectorZero(overlay);
        long lastPrinted = SerialLog.lastTick(A.serialLog()).orElseThrow();
        // A tick is on the disk before it is printed: the destroy may fall between the two.
        assertTrue(restoredLastTick == lastPrinted || restoredLastTick == lastPrinted + 1,
                "the restored run's last tick " + lastPrinted + " is on the overlay: " + restoredLastTick);
        assertNotEquals(originalsLastTick, restoredLastTick);
        LibvirtDomains.virsh("start", A.name());
        GuestLog.awaitTick(A.serialLog(), 3, Duration.ofSeconds(120), "the cold start of " + A.name());

        assertTrue(LibvirtDomains.virsh("domblklist", A.name()).contains(overlay.toString()), "it started on the restored disk");
        assertTrue(GuestDisk.tickInSectorZero(overlay) < restoredLastTick, "the booted guest ticks anew on the restored disk");
        assertEquals(originalsLastTick, GuestDisk.tickInSectorZero(loop, "raw"), "the block device it ran on before is untouched");
    }

    /** A CLI run that failed, as an exception: {@link Abandoned#retried} tries a cut abandoned over its pause deadline again. */
    private static CliRun committed(CliRun r) throws Exception {
        if (r.code() != 0) {
            throw new IllegalStateException(r.err());
        }
        assertEquals("committed", r.json().path("status").asText(), r.out());
        return r;
    }

    /** A CLI run, its wall time (JVM start included) and the restored VMs' load times printed for the note. */
    private static CliRun timed(String what, String... args) throws Exception {
        long start = System.nanoTime();
        CliRun r = CliRun.of(args);
        double ms = (System.nanoTime() - start) / 1e6;
        figure(what + ": " + Math.round(ms) + " ms wall (hotsnap restore, JVM start included), virsh restore (load) "
                + (r.code() == 0 ? r.json().path("vms").get(0).path("loadMs").asDouble() + " ms" : "failed"));
        return r;
    }

    private static void figure(String line) {
        System.err.println("[lr figure] " + line);
    }

    private static String persistent(String domain) {
        return LibvirtDomains.virsh("dominfo", domain).lines().filter(l -> l.startsWith("Persistent:"))
                .map(l -> l.substring("Persistent:".length()).strip()).findFirst().orElse("?");
    }

    /** The restored guest's first tick (its serial log starts afresh) lies between the ticks seen around the snapshot. */
    private static void assertTicksOnFromTheSnapshot(Path log, long tickBefore, long tickAtReturn) {
        long first = GuestLog.firstTick(log);
        assertTrue(first > tickBefore && first <= tickAtReturn + 2,
                "first tick " + first + " of " + log + " follows the snapshot point (ticks " + tickBefore + ".." + tickAtReturn + ")");
    }
}
