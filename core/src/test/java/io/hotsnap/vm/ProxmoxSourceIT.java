package io.hotsnap.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.qmp.BareQemu;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.restore.PreflightCheck;
import io.hotsnap.restore.VmRestore;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.SnapshotFile;
import io.hotsnap.snapshot.VmPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QEMU with Proxmox VE's socket layout ({@code var/run/qemu-server/VMID.qmp},
 * {@code etc/pve/qemu-server/VMID.conf}) under a temporary root: listed by name and VMID, and its
 * socket, shared with Proxmox's own tools, waited for briefly while another client holds it.
 */
class ProxmoxSourceIT {

    @TempDir
    static Path root;
    private static BareQemu qemu;
    private static Path socket;
    private static ProxmoxSource source;

    @BeforeAll
    static void startQemuWithProxmoxsLayout() throws Exception {
        Path run = Files.createDirectories(root.resolve("var/run/qemu-server"));
        Path conf = Files.createDirectories(root.resolve("etc/pve/qemu-server"));
        socket = run.resolve("101.qmp");
        Files.writeString(conf.resolve("101.conf"), "boot: order=scsi0\nmemory: 64\nname: web1\n\n[before-upgrade]\nname: old\n");
        qemu = BareQemu.start("-qmp", "unix:" + socket + ",server=on,wait=off");
        source = new ProxmoxSource(run, conf);
    }

    @AfterAll
    static void stopQemu() throws Exception {
        if (qemu != null) {
            qemu.close();
        }
    }

    private static VmInventory inventory() {
        return new VmInventory(new VmSources(List.of(source)), Timeouts.defaults());
    }

    @Test
    void aVmIsListedByTheNameInItsConfigWithItsVmid() {
        List<VmInfo> vms = inventory().list();

        assertEquals(1, vms.size(), vms.toString());
        VmInfo vm = vms.get(0);
        assertEquals("web1", vm.name());
        assertEquals(101, vm.vmid());
        assertEquals("proxmox", vm.source());
        assertNull(vm.error(), vm.error());
        assertEquals("prelaunch", vm.state());
        assertEquals(socket.toString(), vm.qmp());
        assertTrue(vm.pid() != null, "the QEMU serving the socket is found");
    }

    @Test
    void aVmIsFoundByNameOrByVmid() {
        VmSources sources = new VmSources(List.of(source));

        assertEquals(101, sources.find("web1").vmid());
        assertEquals("web1", sources.find("101").name());
    }

    @Test
    void restoringAProxmoxVmInPlaceIsRefusedInOneLineThatNamesTheCloneAndLeavesTheVmToQm(@TempDir Path partDir) {
        List<String> cmdline = QemuProcess.serving(socket).orElseThrow().cmdline();
        VmPart part = new VmPart("web1", "7.2.0", cmdline, socket.toString(), 64 << 20, new SnapshotFile("memory.img", 0, ""), List.of(),
                0, 0, 0, 0, null, null);
        VmRestore restore = new VmRestore(Timeouts.defaults());

        PreflightCheck inPlace = check(restore.preflight(partDir, part, Optional.empty()), PreflightCheck.REACHABLE);
        List<PreflightCheck> asClone = restore.preflight(partDir, part, Optional.of("web1-copy"));

        assertFalse(inPlace.ok(), inPlace.line());
        assertEquals(1, inPlace.line().lines().count(), inPlace.line());
        assertTrue(inPlace.detail().startsWith("Proxmox VM 101 is Proxmox's to start (qm)") && inPlace.detail().contains("--as-clone NAME"),
                inPlace.line());
        assertTrue(check(asClone, PreflightCheck.CLONE_NAME).ok(), check(asClone, PreflightCheck.CLONE_NAME).line());
        assertTrue(check(asClone, PreflightCheck.COMMAND_LINE).ok(), "Proxmox's command line, rewritten for a plain QEMU clone: "
                + check(asClone, PreflightCheck.COMMAND_LINE).line());
        assertTrue(QemuProcess.serving(socket).isPresent(), "nothing touched the VM");
    }

    private static PreflightCheck check(List<PreflightCheck> checks, String name) {
        return checks.stream().filter(c -> c.check().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name + ": " + checks));
    }

    @Test
    void aSocketBusyForAMomentIsWaitedFor() throws Exception {
        QmpClient proxmoxTool = new QmpClient(socket, Timeouts.defaults());
        proxmoxTool.connect(Duration.ofSeconds(5));
        CompletableFuture<VmInfo> described = CompletableFuture.supplyAsync(() -> inventory().describe("web1"));
        Thread.sleep(1000); // the moment the tool holds the socket: the scenario, not a wait
        proxmoxTool.close();

        VmInfo vm = described.get();

        assertNull(vm.error(), vm.error());
        assertEquals("prelaunch", vm.state());
    }

    @Test
    void aSocketBusyForLongerIsAClearError() throws Exception {
        try (QmpClient proxmoxTool = new QmpClient(socket, Timeouts.defaults())) {
            proxmoxTool.connect(Duration.ofSeconds(5));

            VmInfo vm = inventory().describe("web1");

            assertEquals("unreachable", vm.state());
            assertTrue(vm.error().contains("busy"), vm.error());
        }
    }
}
