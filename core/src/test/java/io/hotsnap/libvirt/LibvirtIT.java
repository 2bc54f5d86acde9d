package io.hotsnap.libvirt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.SerialLog;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.SnapshotStore;
import io.hotsnap.testing.CliRun;
import io.hotsnap.testing.GuestLog;
import io.hotsnap.testing.OwnLab;
import io.hotsnap.testing.UnprivilegedUserfaultfd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two libvirt domains under the host's real libvirtd and one lab VM on the same bridge (the
 * domains stream to each other and to the lab VM); A is reached through libvirt's monitor
 * pass-through, B through an extra QMP socket of its {@code <qemu:commandline>}. The domains are
 * listed with their source, snapshotted hot with libvirt still seeing them run, cut together with
 * the lab VM without orphans, restored by {@code hotsnap restore} as libvirt domains (a clone, then
 * the cut in place); and each refusal is one line with nothing changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LibvirtIT {

    @RegisterExtension
    static final OwnLab LAB = OwnLab.of("lv", "hsbr-lv", "10.66.0", 1, 0);

    @RegisterExtension
    static final UnprivilegedUserfaultfd UFFD = new UnprivilegedUserfaultfd();
    private static final LibvirtDomains.Domain A = new LibvirtDomains.Domain("hs-lv-a", "10.66.0.21", "10.66.0.22", "52:54:00:66:00:21");
    private static final LibvirtDomains.Domain B = new LibvirtDomains.Domain("hs-lv-b", "10.66.0.22", "10.66.0.11", "52:54:00:66:00:22");

    /** B's extra QMP socket: where libvirt's QEMU (not root) may create it. */
    private static final Path B_QMP = Path.of("/var/lib/libvirt/qemu/hs-lv-b.qmp");
    private static LibvirtDomains domains;

    @TempDir
    Path store;

    @BeforeAll
    static void startDomains() throws Exception {
        // A TCG guest can die while booting on a loaded host (once in CI, 2026-11-26): one more boot.
        for (int attempt = 1; ; attempt++) {
            domains = LibvirtDomains.prepare();
            try {
                domains.start(A, LAB.lab().config().bridge(), "");
                domains.start(B, LAB.lab().config().bridge(), "<qemu:commandline><qemu:arg value='-qmp'/><qemu:arg value='unix:" + B_QMP
                        + ",server=on,wait=off'/></qemu:commandline>");
                domains.awaitTicks(Duration.ofSeconds(90));
                return;
            } catch (IllegalStateException e) {
                domains.close();
                if (attempt == 2) {
                    throw e;
                }
                System.err.println("[libvirt IT] " + e.getMessage() + "; starting the domains again");
            }
        }
    }

    @AfterAll
    static void removeDomains() throws Exception {
        if (domains != null) {
            domains.close();
        }
    }

    @Test
    void domainsAreListedWithSourceLibvirtTheirNameAndUuid() throws Exception {
        CliRun r = CliRun.of("vms", "--json");

        assertEquals(0, r.code(), r.err());
        JsonNode a = vm(r.json().path("vms"), A.name());
        assertEquals("libvirt", a.path("source").asText(), a.toString());
        assertEquals(LibvirtDomains.virsh("domuuid", A.name()), a.path("uuid").asText());
        assertEquals("running", a.path("state").asText());
        assertEquals("libvirt:qemu:///system/" + A.name(), a.path("qmp").asText());
        assertEquals(A.mac(), a.path("nics").get(0).path("mac").asText(), a.toString());
        assertTrue(a.path("nics").get(0).path("ifname").asText().startsWith("vnet"), "the tap libvirt made: " + a);
        assertFalse(a.path("nics").get(0).path("vhost").asBoolean(), a.toString());
        assertEquals(1, a.path("disks").size(), a.toString());
        JsonNode b = vm(r.json().path("vms"), B.name());
        assertEquals("libvirt", b.path("source").asText(), b.toString());
        assertEquals(B_QMP.toString(), b.path("qmp").asText(), "the extra socket of <qemu:commandline>: " + b);
        String lab = LAB.lab().status().get(0).name();
        assertEquals("socket", vm(r.json().path("vms"), lab).path("source").asText());
    }

    @Test
    void aDomainIsSnapshottedHotThroughLibvirtAndLibvirtStillSeesItRunning() throws Exception {
        CliRun r = committedUnlessAbandoned("snapshot", "--vms", A.name(), "--json", "--store", store.toString());

        assertEquals(0, r.code(), r.err());
        assertEquals("committed", r.json().path("status").asText(), r.out());
        JsonNode part = r.json().path("vms").get(0);
        double downtime = part.path("downtimeMs").asDouble();
        assertTrue(downtime > 0 && downtime < Timeouts.defaults().pausedDeadline().toMillis(), "downtime " + downtime + " ms");
        assertTrue(part.path("diskBytes").asLong() > 0, "the disk copy through a passed descriptor: " + part);
        assertEquals("running", LibvirtDomains.state(A.name()));
        Path partDir = new SnapshotStore(store).dir(r.json().path("id").asText()).resolve(A.name());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(partDir.resolve("memory.img"))));
        assertCleanThroughLibvirt(A.name());
    }

    @Test
    void aHoldModeCutOverTwoDomainsAndALabVmHasNoOrphans() throws Exception {
        String lab = LAB.lab().status().get(0).name();

        CliRun r = holdCut(lab);

        assertEquals(0, r.code(), r.err());
        assertEquals("committed", r.json().path("status").asText(), r.out());
        assertEquals(3, r.json().path("vms").size(), r.out());
        JsonNode tcp = r.json().path("tcp");
        assertEquals(0, tcp.path("orphanPackets").asInt(-1), tcp.toString());
        List<String> flows = new ArrayList<>();
        tcp.path("flows").forEach(f -> flows.add(f.path("from").asText() + ">" + f.path("to").asText()));
        assertTrue(flows.contains(A.name() + ">" + B.name()) && flows.contains(B.name() + ">" + lab), "flows seen: " + flows);
        assertEquals("running", LibvirtDomains.state(A.name()));
        assertEquals("running", LibvirtDomains.state(B.name()));
    }

    /** A hold cut of A, B and the lab VM; see {@link #committedUnlessAbandoned}. */
    private CliRun holdCut(String lab) throws Exception {
        return committedUnlessAbandoned("snapshot", "--vms", A.name() + "," + B.name() + "," + lab, "--mode", "hold", "--json",
                "--store", store.toString());
    }

    /**
     * A snapshot CLI run. On a starved host (CI beside other QEMU tests) a pause through libvirt's
     * pass-through can outlast the 500 ms deadline (CI: 693 ms for A): the engine resumes the
     * guests and abandons the snapshot, as it must. What the tests check is a committed snapshot,
     * so such an abandoned one is retried: up to 5 attempts, since CI saw about 2 of 5 abandoned.
     */
    private CliRun committedUnlessAbandoned(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        for (int attempt = 1; attempt < 5 && r.code() != 0 && r.err().contains("ms deadline") && r.err().contains("abandoned"); attempt++) {
            assertEquals("running", LibvirtDomains.state(A.name()));
            assertEquals("running", LibvirtDomains.state(B.name()));
            r = CliRun.of(args);
        }
        return r;
    }

    /**
     * Last, because the VMs come back in place at an older point. One cut of A, B and the lab VM,
     * restored by {@code hotsnap restore}: A as a clone beside A (its NIC on a tap of its own), then
     * the whole cut in place, both domains through libvirt and the lab VM as QEMU, resumed together;
     * each ticking on from the snapshot point.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void hotsnapRestoreBringsDomainsBackUnderLibvirtAsACloneAndACutInPlace() throws Exception {
        String clone = A.name() + "-copy";
        long tickBefore = SerialLog.lastTick(A.serialLog()).orElseThrow();
        long tickBeforeB = SerialLog.lastTick(B.serialLog()).orElseThrow();
        CliRun snap = holdCut(LAB.lab().status().get(0).name());
        long tickAtReturn = SerialLog.lastTick(A.serialLog()).orElseThrow();
        long tickAtReturnB = SerialLog.lastTick(B.serialLog()).orElseThrow();
        assertEquals(0, snap.code(), snap.err());
        String id = snap.json().path("id").asText();
        try {
            CliRun asClone = CliRun.of("restore", id, "--vms", A.name(), "--as-clone", clone, "--json", "--store", store.toString());

            assertEquals(0, asClone.code(), asClone.err());
            assertTrue(LibvirtDomains.virsh("list", "--name").lines().anyMatch(clone::equals), "virsh list shows the clone");
            assertEquals("running", LibvirtDomains.state(clone));
            String disks = LibvirtDomains.virsh("domblklist", clone);
            assertTrue(disks.contains(clone + "-") && disks.contains("-from-" + id), "the clone runs on an overlay: " + disks);
            assertTrue(LibvirtDomains.virsh("domiflist", clone).lines().anyMatch(l -> l.contains("ethernet") && l.contains(A.mac())),
                    "the clone's NIC is on a tap of its own: " + LibvirtDomains.virsh("domiflist", clone));
            assertTicksOnFromTheSnapshot(A.serialLog().resolveSibling(clone + ".serial.log"), tickBefore, tickAtReturn);
            assertEquals("running", LibvirtDomains.state(A.name()), "the original runs on beside its clone");

            CliRun taken = CliRun.of("restore", id, "--vms", A.name(), "--as-clone", B.name(), "--store", store.toString());
            assertNotEquals(0, taken.code());
            assertOneLine(taken.err(), "a libvirt domain named '" + B.name() + "' exists (running)");
            assertEquals("running", LibvirtDomains.state(B.name()));

            CliRun inPlace = CliRun.of("restore", id, "--json", "--store", store.toString());

            assertEquals(0, inPlace.code(), inPlace.err());
            assertEquals(3, inPlace.json().path("vms").size(), inPlace.out());
            for (LibvirtDomains.Domain d : List.of(A, B)) {
                assertEquals("running", LibvirtDomains.state(d.name()));
                assertTrue(LibvirtDomains.virsh("domblklist", d.name()).contains("-from-" + id), d.name() + " runs on an overlay now");
            }
            assertTicksOnFromTheSnapshot(A.serialLog(), tickBefore, tickAtReturn);
            assertTicksOnFromTheSnapshot(B.serialLog(), tickBeforeB, tickAtReturnB);
            // libvirt's QEMU reads the disk copies through searchable directories; the memory image stays private.
            Path partDir = new SnapshotStore(store).dir(id).resolve(A.name());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(partDir.resolve("memory.img"))));
            assertEquals("rwx-----x", PosixFilePermissions.toString(Files.getPosixFilePermissions(partDir)));
        } finally {
            HostCommand.run(List.of("virsh", "-q", "-c", LibvirtDomains.URI, "destroy", clone), Duration.ofSeconds(60));
        }
    }

    /** The restored guest's first tick (its serial log starts afresh) lies between the ticks seen around the snapshot. */
    private static void assertTicksOnFromTheSnapshot(Path log, long tickBefore, long tickAtReturn) throws Exception {
        long first = GuestLog.firstTick(log);
        assertTrue(first > tickBefore && first <= tickAtReturn + 2,
                "first tick " + first + " of " + log + " follows the snapshot point (ticks " + tickBefore + ".." + tickAtReturn + ")");
    }

    @Test
    void aDomainInALibvirtJobIsRefusedWithThatReason(@TempDir Path tmp) throws Exception {
        // A live dump into a FIFO that a reader holds open but does not read: libvirt's job stays
        // open (and libvirtd answers) until the FIFO is drained.
        Path fifo = tmp.resolve("dump.fifo");
        HostCommand.check(List.of("mkfifo", fifo.toString()), Duration.ofSeconds(5));
        Process reader = new ProcessBuilder("sh", "-c", "exec 3<\"$1\"; sleep 120", "sh", fifo.toString()).start();
        Process dump = new ProcessBuilder("virsh", "-q", "-c", LibvirtDomains.URI, "dump", "--live", B.name(), fifo.toString())
                .redirectErrorStream(true).start();
        try {
            awaitJob(B.name());

            assertRefused(B.name(), "libvirt has a job running on the domain", "Dump");
        } finally {
            // Drain the dump so that its job ends.
            HostCommand.run(List.of("sh", "-c", "cat \"$1\" > /dev/null", "sh", fifo.toString()), Duration.ofSeconds(60));
            reader.destroy();
            dump.waitFor();
        }
        assertCleanThroughLibvirt(B.name());
    }

    @Test
    void withUnprivilegedUserfaultfdOffLibvirtsQemuIsRefusedWithTheSysctlToSet() throws Exception {
        UFFD.set(false);
        try {
            assertRefused(A.name(), "vm.unprivileged_userfaultfd is 0", "sysctl vm.unprivileged_userfaultfd=1");
        } finally {
            UFFD.set(true);
        }
        assertCleanThroughLibvirt(A.name());
    }

    @Test
    void withLibvirtdDownADomainIsRefusedWithLibvirtsReason() throws Exception {
        // Stopping the host's libvirtd is only ours to do when no one else has domains under it.
        List<String> others = LibvirtDomains.virsh("list", "--all", "--name").lines().map(String::strip)
                .filter(n -> !n.isEmpty() && !n.equals(A.name()) && !n.equals(B.name())).toList();
        Assumptions.assumeTrue(others.isEmpty(), "libvirtd also runs " + others + ": not stopped under them");
        long libvirtd = Long.parseLong(Files.readString(Path.of("/run/libvirtd.pid")).strip());
        ProcessHandle daemon = ProcessHandle.of(libvirtd).orElseThrow();
        daemon.destroy();
        daemon.onExit().get();
        try {
            CliRun r = CliRun.of("snapshot", "--vms", A.name(), "--json", "--store", store.toString());

            assertNotEquals(0, r.code());
            assertOneLine(r.err(), "unknown VM '" + A.name() + "'", "libvirt (qemu:///system) does not answer");
            assertNothingIn(store);
        } finally {
            HostCommand.check(List.of("../installers/start-libvirt.sh"), Duration.ofSeconds(60));
        }
        // The domain ran on without libvirtd, and libvirtd took it back: it answers for both domains again
        // (right after its restart it may not yet; CI once listed no domain at all in the test that came next).
        assertEquals("running", LibvirtDomains.state(A.name()));
        await("libvirtd takes the domains back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> listedThroughLibvirt(A.name()) && listedThroughLibvirt(B.name()));
    }

    private static boolean listedThroughLibvirt(String domain) throws Exception {
        CliRun r = CliRun.of("vms", "--json");
        for (JsonNode vm : r.json().path("vms")) {
            if (vm.path("name").asText().equals(domain) && vm.path("source").asText().equals("libvirt") && vm.path("error").isNull()) {
                return true;
            }
        }
        return false;
    }

    // --- helpers ---------------------------------------------------------------------------

    private static JsonNode vm(JsonNode vms, String name) {
        for (JsonNode vm : vms) {
            if (vm.path("name").asText().equals(name)) {
                return vm;
            }
        }
        throw new AssertionError(name + " not listed: " + vms);
    }

    /** A snapshot of {@code domain} fails with one line naming every part; no snapshot is left, the domain runs. */
    private void assertRefused(String domain, String... parts) throws Exception {
        CliRun r = CliRun.of("snapshot", "--vms", domain, "--json", "--store", store.toString());

        assertNotEquals(0, r.code());
        assertOneLine(r.err(), parts);
        assertNothingIn(store);
        assertEquals("running", LibvirtDomains.state(domain));
    }

    /** The CLI's error: its own line (after the agent's log lines) names every part. */
    private static void assertOneLine(String err, String... parts) {
        String line = err.lines().filter(l -> l.startsWith("hotsnap: ")).findFirst().orElseThrow(() -> new AssertionError("no error line in: " + err));
        for (String part : parts) {
            assertTrue(line.contains(part), "'" + part + "' in: " + line);
        }
    }

    private static void assertNothingIn(Path store) throws Exception {
        assertTrue(new SnapshotStore(store).list().isEmpty(), "a refused snapshot left a committed one");
        if (Files.isDirectory(store)) {
            try (var left = Files.list(store)) {
                List<Path> entries = left.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
                assertTrue(entries.isEmpty(), "left in the store: " + entries);
            }
        }
    }

    /** Nothing of ours left in QEMU, seen through libvirt: no capability, node, job, migration or hold. */
    private static void assertCleanThroughLibvirt(String domain) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode status = json.readTree(LibvirtDomains.virsh("qemu-monitor-command", domain, "{\"execute\":\"query-status\"}"));
        assertEquals("running", status.path("return").path("status").asText(), status.toString());
        JsonNode caps = json.readTree(LibvirtDomains.virsh("qemu-monitor-command", domain, "{\"execute\":\"query-migrate-capabilities\"}"));
        for (JsonNode cap : caps.path("return")) {
            if (cap.path("capability").asText().equals("background-snapshot")) {
                assertFalse(cap.path("state").asBoolean(), "background-snapshot left on");
            }
        }
        JsonNode nodes = json.readTree(LibvirtDomains.virsh("qemu-monitor-command", domain, "{\"execute\":\"query-named-block-nodes\"}"));
        nodes.path("return").forEach(n -> assertFalse(n.path("node-name").asText().startsWith("hotsnap-"), "our node left: " + n));
        JsonNode objects = json.readTree(LibvirtDomains.virsh("qemu-monitor-command", domain,
                "{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/objects\"}}"));
        objects.path("return").forEach(o -> assertFalse(o.path("name").asText().startsWith("hotsnap-hold"), "our hold left: " + o));
        JsonNode fdsets = json.readTree(LibvirtDomains.virsh("qemu-monitor-command", domain, "{\"execute\":\"query-fdsets\"}"));
        fdsets.path("return").forEach(s -> s.path("fds").forEach(fd -> assertFalse(fd.path("opaque").asText().equals("hotsnap"),
                "our fd set left: " + s)));
        assertEquals("None", jobType(domain));
    }

    private static String jobType(String domain) {
        return LibvirtDomains.virsh("domjobinfo", domain).lines().filter(l -> l.startsWith("Job type:"))
                .map(l -> l.substring("Job type:".length()).strip()).findFirst().orElse("?");
    }

    private static void awaitJob(String domain) {
        await("libvirt's dump job starts").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !jobType(domain).equals("None"));
    }
}
