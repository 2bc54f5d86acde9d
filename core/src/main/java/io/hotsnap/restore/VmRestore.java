package io.hotsnap.restore;

import io.hotsnap.host.HostCommand;
import io.hotsnap.host.SafeName;
import io.hotsnap.net.TrafficCapture;
import io.hotsnap.qmp.QmpClient;
import io.hotsnap.qmp.QmpEvent;
import io.hotsnap.qmp.QmpEventSubscription;
import io.hotsnap.qmp.QmpException;
import io.hotsnap.qmp.QmpTimeoutException;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.snapshot.DiskCopy;
import io.hotsnap.snapshot.DomainRecord;
import io.hotsnap.snapshot.PrivateFiles;
import io.hotsnap.snapshot.SnapshotException;
import io.hotsnap.snapshot.VmPart;
import io.hotsnap.vm.QemuProcess;
import io.hotsnap.vm.SocketDirSource;
import io.hotsnap.vm.VmEndpoint;
import io.hotsnap.vm.VmInventory;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one VM of a committed snapshot back (DESIGN §6): its recorded command line, disks on fresh
 * overlays above the snapshot's copies (the snapshot stays immutable), memory loaded through a
 * UNIX socket into {@code -incoming defer}, then {@code cont}. A VM that was a libvirt domain comes
 * back through libvirt instead ({@link LibvirtLaunch}). In place (the running VM is stopped first)
 * or as a clone. Everything is checked before anything is touched.
 */
public final class VmRestore {

    private static final Logger LOG = LoggerFactory.getLogger(VmRestore.class);

    private final Timeouts timeouts;
    private final LibvirtLaunch libvirt;

    public VmRestore(Timeouts timeouts) {
        this.timeouts = timeouts;
        this.libvirt = new LibvirtLaunch(timeouts);
    }

    /** What restoring one VM will do, decided and checked before anything is touched. */
    public record Plan(String name, VmPart part, Path partDir, Map<String, Path> overlays, Launch launch) {

        public boolean inPlace() {
            return !launch.isClone();
        }
    }

    /** How a planned VM gets a QEMU again: one we start, or a libvirt domain libvirt restores. */
    public sealed interface Launch permits QemuLaunch, DomainLaunch {
        boolean isClone();
    }

    /** QEMU started from the recorded command line, rewritten; its QMP socket is {@code qmp}. */
    public record QemuLaunch(Path qmp, Optional<QemuCommandLine.Clone> asClone, List<String> cmdline) implements Launch {
        @Override
        public boolean isClone() {
            return asClone.isPresent();
        }
    }

    /** {@code virsh restore} of the recorded domain, defined by {@code xml} (disks on overlays, a clone renamed). */
    public record DomainLaunch(DomainRecord domain, String xml, boolean isClone) implements Launch {
    }

    /**
     * A VM whose memory is loaded, paused at the snapshot's instant, waiting for {@link #resume}.
     *
     * @param endpoint        how the restored VM's QEMU is reached (its process, its taps)
     * @param originalStopped in place: the VM that ran under the name was shut down for this one
     * @param guard           undoes the load should this process die before the VM runs or is discarded
     */
    public record Loaded(Plan plan, VmEndpoint endpoint, QmpClient qmp, QmpEventSubscription events, double loadMs, boolean originalStopped,
                         LoadGuard guard) {
    }

    /** One VM: checked, loaded, resumed. */
    public RestoredVm restore(String snapshotId, Path partDir, VmPart part, Optional<String> cloneName) {
        return resume(load(plan(snapshotId, partDir, part, cloneName)));
    }

    /**
     * Several VMs of one snapshot (a cluster cut): every one is checked, then every one loaded and
     * left paused, then all resumed back to back, so their TCP connections pick up where the
     * consistent cut left them. If one cannot be loaded, those already started are stopped again.
     */
    public List<RestoredVm> restoreTogether(List<Plan> plans) {
        return resumeAll(loadAll(plans, new LoadListener() { }));
    }

    /** What {@link #loadAll} is doing, for whoever reports progress; every method defaults to nothing. */
    public interface LoadListener {
        default void loading(Plan plan) {
        }

        default void loaded(Loaded loaded) {
        }

        default void failed(Plan plan, String reason) {
        }

        default void discarded(Loaded loaded) {
        }
    }

    /**
     * Loads every plan, one after another, each left paused. If one cannot be loaded, those already
     * loaded are discarded ({@link #discard}) and the failure is thrown: nothing is left half restored.
     */
    public List<Loaded> loadAll(List<Plan> plans, LoadListener listener) {
        List<Loaded> loaded = new ArrayList<>();
        for (Plan plan : plans) {
            listener.loading(plan);
            try {
                Loaded l = load(plan);
                loaded.add(l);
                listener.loaded(l);
            } catch (SnapshotException e) {
                listener.failed(plan, e.getMessage());
                for (Loaded l : loaded) {
                    discard(l);
                    listener.discarded(l);
                }
                throw e;
            }
        }
        return loaded;
    }

    /**
     * The preflight checklist of restoring {@code part} (in place, or as {@code cloneName}): every
     * check, passed or not. Touches nothing.
     */
    public List<PreflightCheck> preflight(Path partDir, VmPart part, Optional<String> cloneName) {
        return new Preflight(timeouts, libvirt).checklist(partDir, part, cloneName);
    }

    /**
     * Checks the part and works out the command line; touches nothing.
     *
     * @param snapshotId used to name the overlays
     * @param cloneName  empty for in place
     */
    public Plan plan(String snapshotId, Path partDir, VmPart part, Optional<String> cloneName) {
        List<String> problems = preflight(partDir, part, cloneName).stream().filter(c -> !c.ok()).map(PreflightCheck::line).toList();
        if (!problems.isEmpty()) {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, "cannot restore: " + String.join("; ", problems));
        }
        String name = cloneName.orElse(part.libvirt() != null ? part.libvirt().name() : part.name());
        Map<String, Path> overlays = new LinkedHashMap<>();
        for (DiskCopy disk : part.disks()) {
            overlays.put(disk.original(), overlayPath(disk, name, snapshotId));
        }
        try {
            if (part.libvirt() != null) {
                return new Plan(name, part, partDir, overlays,
                        new DomainLaunch(part.libvirt(), LibvirtLaunch.restoreXml(part.libvirt(), overlays, cloneName), cloneName.isPresent()));
            }
            Optional<QemuCommandLine.Clone> clone = cloneName.map(n -> cloneOf(n, part));
            Path qmp = clone.map(QemuCommandLine.Clone::qmp).orElse(Path.of(part.qmp()));
            return new Plan(name, part, partDir, overlays, new QemuLaunch(qmp, clone, QemuCommandLine.forRestore(part.cmdline(), overlays, clone)));
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, "cannot restore " + part.name() + ": " + e.getMessage());
        }
    }

    /**
     * Loads the VM on fresh overlays; it stays paused. In place, the running VM is stopped first
     * (a libvirt domain only once its restore is ready to go).
     */
    public Loaded load(Plan plan) {
        VmPart part = plan.part();
        boolean originalStopped = plan.launch() instanceof QemuLaunch q && q.asClone().isEmpty() && stopRunning(q.qmp());
        List<Path> made = new ArrayList<>();
        LoadGuard guard = null;
        try {
            if (plan.launch() instanceof QemuLaunch q) {
                // Armed before anything is made: an agent that dies while QEMU starts would leave it paused for good.
                List<Path> overlays = part.disks().stream().map(d -> plan.overlays().get(d.original())).toList();
                guard = LoadGuard.qemuToStart(LoadGuard.agent(), q.qmp(), withCloneFiles(q, overlays));
            }
            for (DiskCopy disk : part.disks()) {
                Path overlay = plan.overlays().get(disk.original());
                HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", disk.image().resolve(plan.partDir()).toString(),
                        "-F", disk.format(), overlay.toString()), timeouts.qmpCommand());
                made.add(overlay);
                PrivateFiles.restrict(overlay);
            }
            if (plan.launch() instanceof DomainLaunch d) {
                return libvirt.load(plan, d, made);
            }
            QemuLaunch q = (QemuLaunch) plan.launch();
            Files.deleteIfExists(q.qmp());
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
    public void discard(Loaded loaded) {
        loaded.events().close();
        loaded.qmp().close();
        kill(loaded.plan(), List.copyOf(loaded.plan().overlays().values()));
        loaded.guard().close();
    }

    private void kill(Plan plan, List<Path> overlays) {
        List<Path> made;
        if (plan.launch() instanceof DomainLaunch d) {
            libvirt.kill(plan, d);
            made = overlays;
        } else {
            QemuLaunch q = (QemuLaunch) plan.launch();
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
    private static List<Path> withCloneFiles(QemuLaunch q, List<Path> overlays) {
        List<Path> files = new ArrayList<>(overlays);
        q.asClone().ifPresent(c -> files.addAll(List.of(c.serialLog(), c.pidFile(), c.qmp())));
        return files;
    }

    /** A loaded VM's TCP taps, to capture its traffic from the resume on: in place only (a clone's tap joins no network). */
    public List<TrafficCapture.Tap> taps(Loaded loaded) {
        if (!loaded.plan().inPlace()) {
            return List.of();
        }
        Long pid = loaded.endpoint().process().map(QemuProcess::pid).orElse(null);
        // libvirt hands QEMU its taps as descriptors: QEMU cannot name them, libvirt can.
        Map<String, String> tapsByMac = loaded.endpoint().tapsByMac();
        return VmInventory.nics(loaded.qmp(), id -> false, timeouts.qmpCommand()).stream()
                .filter(n -> n.mac() != null && (n.ifname() != null || tapsByMac.containsKey(n.mac())))
                .map(n -> new TrafficCapture.Tap(loaded.plan().name(), n.ifname() != null ? n.ifname() : tapsByMac.get(n.mac()), n.mac(), pid))
                .toList();
    }

    /** Lets a loaded VM run from its snapshot's instant. */
    public RestoredVm resume(Loaded loaded) {
        return resumeAll(List.of(loaded)).get(0);
    }

    /** How one loaded VM's resume went: running again ({@code restored}) or not ({@code failure}). */
    public record Resumed(Loaded loaded, RestoredVm restored, SnapshotException failure) {
    }

    /**
     * Lets loaded VMs run: {@code cont} to each back to back first, and only then the wait for each
     * RESUME, so they start again as close together as QMP allows. Each VM's failure is its own:
     * the others resume regardless.
     */
    public List<Resumed> resumeEach(List<Loaded> loaded) {
        List<SnapshotException> contFailed = new ArrayList<>();
        List<Long> contAnsweredAt = new ArrayList<>();
        for (Loaded l : loaded) {
            try {
                call(l.qmp(), "cont", null);
                contFailed.add(null);
            } catch (RuntimeException e) {
                contFailed.add(notResumed(l, e));
            }
            contAnsweredAt.add(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
        }
        List<Resumed> outcomes = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            Loaded l = loaded.get(i);
            if (contFailed.get(i) != null) {
                outcomes.add(new Resumed(l, null, contFailed.get(i)));
                continue;
            }
            try (QmpClient qmp = l.qmp(); QmpEventSubscription events = l.events()) {
                long resumedAt = awaitResume(l, events, contAnsweredAt.get(i));
                long pid = l.endpoint().process().map(QemuProcess::pid).orElse(-1L);
                // Running: the VM is the administrator's now, not the load's to undo.
                l.guard().close();
                outcomes.add(new Resumed(l, new RestoredVm(l.plan().name(), l.plan().part().name(), pid, l.endpoint().qmpTarget(),
                        l.loadMs(), resumedAt), null));
            } catch (RuntimeException e) {
                outcomes.add(new Resumed(l, null, notResumed(l, e)));
            }
        }
        return outcomes;
    }

    /**
     * When the VM ran again: the stamp of the RESUME that QEMU emits while it runs the {@code cont},
     * before its reply. Without it, QEMU is asked. Running: the event was lost on its way, which
     * libvirt's pass-through can do (its event stream is a separate {@code virsh} whose registration
     * is not confirmed, and CI once saw a restored domain's RESUME never come), so the VM is taken
     * as resumed when its {@code cont} was answered. Paused: the {@code cont} took no effect, and
     * the message says so.
     */
    private long awaitResume(Loaded l, QmpEventSubscription events, long contAnsweredAt) {
        try {
            return events.await(e -> e.name().equals("RESUME"), timeouts.qmpCommand()).timestampMicros();
        } catch (QmpTimeoutException e) {
            String status;
            try {
                status = call(l.qmp(), "query-status", null).path("status").asText();
            } catch (RuntimeException unknown) {
                throw new QmpTimeoutException(e.getMessage() + " after cont; its state unknown: " + unknown.getMessage());
            }
            if (!status.equals("running")) {
                throw new QmpTimeoutException(e.getMessage() + " after cont; QEMU reports it " + status);
            }
            LOG.warn("{}: no RESUME seen, but QEMU reports it running: taken as resumed when its cont was answered", l.plan().name());
            return contAnsweredAt;
        }
    }

    /** {@link #resumeEach}, failing on the first VM that did not resume (after trying every one). */
    public List<RestoredVm> resumeAll(List<Loaded> loaded) {
        List<RestoredVm> resumed = new ArrayList<>();
        for (Resumed r : resumeEach(loaded)) {
            if (r.failure() != null) {
                throw r.failure();
            }
            resumed.add(r.restored());
        }
        return resumed;
    }

    private static SnapshotException notResumed(Loaded l, RuntimeException e) {
        return new SnapshotException(SnapshotException.Kind.FAILED, "restored " + l.plan().name() + " did not resume: " + e.getMessage(), e);
    }

    /** A loaded VM's QMP, connected and watching for its RESUME. */
    static Loaded connected(Plan plan, VmEndpoint endpoint, double loadMs, boolean originalStopped, LoadGuard guard, Timeouts timeouts) {
        QmpClient qmp = endpoint.qmpClient(timeouts);
        try {
            qmp.connect(timeouts.qmpConnect());
        } catch (QmpException e) {
            qmp.close();
            throw e;
        }
        return new Loaded(plan, endpoint, qmp, qmp.subscribe(e -> e.name().equals("RESUME"), 256), loadMs, originalStopped, guard);
    }

    private Loaded loadMemory(Plan plan, QemuLaunch launch, Path memory, boolean originalStopped, LoadGuard guard) throws IOException {
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
            return new Loaded(plan, new SocketDirSource.SocketEndpoint(launch.qmp()), qmp, events, (System.nanoTime() - start) / 1e6, originalStopped, guard);
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
                sleep(Duration.ofMillis(50));
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

    /** @throws SnapshotException {@code REFUSED} for a name that is no valid VM name */
    static QemuCommandLine.Clone cloneOf(String name, VmPart part) {
        cloneNameProblem(name).ifPresent(problem -> {
            throw new SnapshotException(SnapshotException.Kind.REFUSED, problem);
        });
        Path recordedQmp = Path.of(part.qmp());
        Path dir = overlayDir(part);
        return new QemuCommandLine.Clone(name, recordedQmp.resolveSibling(name + ".qmp"), dir.resolve(name + ".serial.log"),
                dir.resolve(name + ".pid"));
    }

    /** A clone's name: a {@link SafeName} short enough for a host name. */
    public static boolean validName(String name) {
        return SafeName.isStrict(name) && name.length() <= 63;
    }

    /** What is wrong with a clone's name, in the words both restore paths use; empty when it is valid. */
    static Optional<String> cloneNameProblem(String name) {
        return validName(name) ? Optional.empty() : Optional.of("clone name '" + name + "' is not a valid VM name");
    }

    /** Where a restore of this VM writes its overlays (and a clone its log and pid file): beside the original disk. */
    static Path overlayDir(VmPart part) {
        return part.disks().isEmpty() ? Path.of(part.qmp()).getParent() : Path.of(part.disks().get(0).original()).getParent();
    }

    /** Next to the original disk, named after the VM so that whoever cleans up that VM's files finds it. */
    private static Path overlayPath(DiskCopy disk, String vm, String snapshotId) {
        return Path.of(disk.original()).resolveSibling(vm + "-" + disk.device() + "-from-" + snapshotId + "-" + System.currentTimeMillis() + ".qcow2");
    }

    private com.fasterxml.jackson.databind.JsonNode call(QmpClient qmp, String command, Object args) {
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
