package io.hotsnap.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.host.HostCommand;
import io.hotsnap.host.PrivateFiles;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.qmp.QmpEventSubscription;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.SocketDirSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads planned VMs and undoes loads (DESIGN §6): fresh overlays above the snapshot's disk copies,
 * QEMU started from the recorded command line with {@code -incoming defer} (or the domain handed
 * to libvirt, {@link LibvirtLaunch}), the memory streamed in through a UNIX socket; the VM is left
 * paused for {@link RestoreResumer}. In place, the running VM is shut down first.
 */
final class RestoreLoader {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreLoader.class);

    private final Timeouts timeouts;
    private final LibvirtLaunch libvirt;

    RestoreLoader(Timeouts timeouts, LibvirtLaunch libvirt) {
        this.timeouts = timeouts;
        this.libvirt = libvirt;
    }

    /**
     * Loads the VM on fresh overlays; it stays paused. In place, the running VM is stopped first
     * (a libvirt domain only once its restore is ready to go).
     */
    VmRestore.Loaded load(VmRestore.Plan plan) {
        VmPart part = plan.part();
        boolean originalStopped = plan.launch() instanceof VmRestore.QemuLaunch q && q.asClone().isEmpty() && stopRunning(q.qmp());
        List<Path> made = new ArrayList<>();
        LoadGuard guard = null;
        try {
            if (plan.launch() instanceof VmRestore.QemuLaunch q) {
                // Armed before anything is made: an agent that dies while QEMU starts would leave it paused for good.
                List<Path> overlays = part.disks().stream().map(d -> plan.overlays().get(d.original())).toList();
                guard = LoadGuard.qemuToStart(LoadGuard.agent(), q.qmp(), withCloneFiles(q, overlays));
            }
            Firmware firmware = Firmware.of(part.cmdline());
            for (DiskCopy disk : part.disks()) {
                Path overlay = plan.overlays().get(disk.original());
                String copy = disk.image().resolve(plan.partDir()).toString();
                HostCommand.check(firmware.isVars(disk.original())
                        ? List.of("qemu-img", "convert", "-q", "-f", disk.format(), "-O", "raw", copy, overlay.toString())
                        : List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", copy, "-F", disk.format(), overlay.toString()),
                        timeouts.qmpCommand());
                made.add(overlay);
                PrivateFiles.restrict(overlay);
            }
            if (plan.launch() instanceof VmRestore.DomainLaunch d) {
                return libvirt.load(plan, d, made);
            }
            VmRestore.QemuLaunch q = (VmRestore.QemuLaunch) plan.launch();
            Files.deleteIfExists(q.qmp());
            PrivateFiles.createDirectories(q.qmp().getParent()); // a Proxmox VM's clone may be the first QEMU of ours on the host
            HostCommand.Result started = HostCommand.run(q.cmdline(), timeouts.qmpCommand());
            if (!started.ok()) {
                throw new IllegalStateException("QEMU refused the command line: " + HostCommand.lastLine(started.stderr()));
            }
            QemuProcess.serving(q.qmp()).orElseThrow(() -> new IllegalStateException("QEMU started but is no longer running"));
            return loadMemory(plan, q, part.memory().resolve(plan.partDir()), originalStopped, guard);
        } catch (RuntimeException | IOException e) {
            kill(plan, made);
            if (guard != null) {
                guard.close();
            }
            throw new SnapshotException(SnapshotException.Kind.FAILED, "restore of " + part.name() + " failed: " + e.getMessage()
                    + (originalStopped ? " (the VM that ran as " + plan.name() + " had already been shut down)" : ""), e);
        }
    }

    /**
     * Undoes a load that will not be resumed: its QEMU killed, its overlays removed. In place, the
     * VM that ran before is not brought back: it was shut down for the restore.
     */
    void discard(VmRestore.Loaded loaded) {
        loaded.events().close();
        loaded.qmp().close();
        kill(loaded.plan(), List.copyOf(loaded.plan().overlays().values()));
        loaded.guard().close();
    }

    private void kill(VmRestore.Plan plan, List<Path> overlays) {
        List<Path> made;
        if (plan.launch() instanceof VmRestore.DomainLaunch d) {
            libvirt.kill(plan, d);
            made = overlays;
        } else {
            VmRestore.QemuLaunch q = (VmRestore.QemuLaunch) plan.launch();
            QemuProcess.serving(q.qmp()).ifPresent(p -> {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                QemuProcess.awaitExit(p.pid(), timeouts.vmQuitGrace());
            });
            made = withCloneFiles(q, overlays);
        }
        for (Path p : made) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Cannot remove {} of a discarded restore: {}", p, e.getMessage());
            }
        }
    }

    /** What undoing a QEMU load removes: its overlays, and a clone's log, pid file and socket (an in-place VM's belong to the VM). */
    private static List<Path> withCloneFiles(VmRestore.QemuLaunch q, List<Path> overlays) {
        List<Path> files = new ArrayList<>(overlays);
        q.asClone().ifPresent(c -> files.addAll(List.of(c.serialLog(), c.pidFile(), c.qmp())));
        return files;
    }

    private VmRestore.Loaded loadMemory(VmRestore.Plan plan, VmRestore.QemuLaunch launch, Path memory, boolean originalStopped, LoadGuard guard) throws IOException {
        QmpClient qmp = connectWhenReady(launch.qmp());
        QmpEventSubscription events = qmp.subscribe(e -> e.name().equals("MIGRATION") || e.name().equals("RESUME"), 256);
        try {
            call(qmp, "migrate-set-capabilities", Map.of("capabilities", List.of(Map.of("capability", "events", "state", true))));
            Path incoming = launch.qmp().resolveSibling("." + plan.name() + ".incoming");
            Files.deleteIfExists(incoming);
            call(qmp, "migrate-incoming", Map.of("uri", "unix:" + incoming));
            long start = System.nanoTime();
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                 InputStream in = Files.newInputStream(memory)) {
                ch.connect(UnixDomainSocketAddress.of(incoming));
                OutputStream out = Channels.newOutputStream(ch);
                in.transferTo(out);
                ch.shutdownOutput();
            } catch (IOException e) {
                // QEMU ends an incoming migration it cannot load by closing the stream and exiting.
                throw new IllegalStateException("QEMU broke off loading the memory image (" + e.getMessage()
                        + "): the saved device state does not fit the restored command line", e);
            } finally {
                Files.deleteIfExists(incoming);
            }
            QmpEvent end = events.await(e -> e.name().equals("MIGRATION")
                    && List.of("completed", "failed").contains(e.data().path("status").asText()), timeouts.guestBoot());
            if (!end.data().path("status").asText().equals("completed")) {
                throw new IllegalStateException("QEMU could not load the memory image: "
                        + call(qmp, "query-migrate", null).path("error-desc").asText("no reason given"));
            }
            return new VmRestore.Loaded(plan, new SocketDirSource.SocketEndpoint(launch.qmp()), qmp, events, (System.nanoTime() - start) / 1e6, originalStopped, guard);
        } catch (IOException | RuntimeException e) {
            events.close();
            qmp.close();
            throw e;
        }
    }

    /** QEMU creates its socket file a moment before it accepts on it. */
    private QmpClient connectWhenReady(Path socket) {
        long deadline = System.nanoTime() + timeouts.qmpConnect().toNanos();
        while (true) {
            QmpClient qmp = new QmpClient(socket, timeouts);
            try {
                qmp.connect(timeouts.qmpConnect());
                return qmp;
            } catch (QmpException e) {
                qmp.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(Waits.MONITOR_RETRY);
            }
        }
    }

    /** In place: the VM now running from that socket is shut down first (QMP quit, then SIGKILL); false when none ran. */
    private boolean stopRunning(Path qmpSocket) {
        Optional<QemuProcess> running = QemuProcess.serving(qmpSocket);
        if (running.isEmpty()) {
            return false;
        }
        try (QmpClient qmp = new QmpClient(qmpSocket, timeouts)) {
            qmp.connect(timeouts.qmpConnect());
            qmp.call("quit", null, timeouts.qmpCommand());
        } catch (QmpException e) {
            LOG.debug("quit before restore: {}", e.getMessage());
        }
        long pid = running.get().pid();
        if (!QemuProcess.awaitExit(pid, timeouts.vmQuitGrace())) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            if (!QemuProcess.awaitExit(pid, timeouts.vmQuitGrace())) {
                throw new SnapshotException(SnapshotException.Kind.FAILED, "the running VM (pid " + pid + ") did not stop; nothing was restored");
            }
        }
        return true;
    }

    private JsonNode call(QmpClient qmp, String command, Object args) {
        return qmp.call(command, args, timeouts.qmpCommand());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
