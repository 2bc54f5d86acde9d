package io.hotsnap.lab;

import io.hotsnap.host.HostCommand;
import io.hotsnap.host.HostPaths;
import io.hotsnap.settings.Timeouts;
import io.hotsnap.settings.Waits;
import io.hotsnap.vm.QemuProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local lab (DESIGN §7): N real QEMU guests on a sealed LAN, each an ordinary VM with a QMP
 * socket in the host's socket directory. {@code up} either brings every VM to its first tick or
 * leaves nothing behind.
 */
public final class Lab {

    private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
    private static final String DATA_DISK_SIZE = "16M";

    private final LabConfig config;
    private final Timeouts timeouts;
    private final LabMonitor monitor;

    public Lab(LabConfig config, Timeouts timeouts) {
        this.config = config;
        this.timeouts = timeouts;
        this.monitor = new LabMonitor(timeouts);
    }

    public LabConfig config() {
        return config;
    }

    public boolean isUp() {
        return LabState.read(config.dir()).map(s -> s.vms().stream().anyMatch(this::alive)).orElse(false);
    }

    /** Starts the lab and waits for every guest's first tick; on any failure removes what it made. */
    public List<LabVmStatus> up(Consumer<String> progress) {
        Optional<LabState> existing = LabState.read(config.dir());
        if (existing.isPresent()) {
            if (existing.get().vms().stream().anyMatch(this::alive)) {
                throw new LabException(LabException.Kind.CONFLICT, "a lab is already up in " + config.dir()
                        + " (" + existing.get().vms().size() + " VMs); run 'hotsnap lab down' first");
            }
            progress.accept("removing the remains of a lab that is no longer running");
            teardown(existing.get(), progress);
        }
        checkHost();
        Accelerator.Choice accel = Accelerator.choose(config.accel());
        progress.accept("accelerator: " + accel.reason());
        GuestImage image = GuestImage.ensure(config.guestCache(), config.kernel());
        progress.accept("guest: Linux " + image.kernelVersion() + " (" + image.vmlinux().getParent() + ")");

        LabState state = new LabState(accel.qemuName(), accel.reason(), image.kernelVersion(), config.bridge(), List.of());
        try {
            Files.createDirectories(config.dir());
            Files.createDirectories(config.socketDir());
            state.write(config.dir());
            LabNetwork.createBridge(config.bridge());
            for (int i = 1; i <= config.vms(); i++) {
                state = state.with(start(config.vm(i), image, accel));
                state.write(config.dir());
                progress.accept("started " + config.vm(i).name() + " (" + config.vm(i).ip() + ")");
            }
            awaitFirstTicks(state);
            progress.accept("all " + config.vms() + " guests are ticking");
            return status();
        } catch (IOException e) {
            teardown(state, progress);
            throw new LabException(LabException.Kind.FAILED, "cannot create lab files: " + e.getMessage());
        } catch (RuntimeException e) {
            teardown(state, progress);
            throw e;
        }
    }

    /** Stops every lab VM (QMP quit, SIGKILL after the grace period) and removes the lab's files and links. */
    public void down(Consumer<String> progress) {
        LabState state = LabState.read(config.dir()).orElseThrow(() -> new LabException(LabException.Kind.CONFLICT,
                "no lab is up (nothing in " + config.dir() + ")"));
        teardown(state, progress);
    }

    public List<LabVmStatus> status() {
        return LabState.read(config.dir()).map(state -> state.vms().stream()
                .map(vm -> new LabVmStatus(vm.spec().name(), pid(vm), vm.spec().qmp().toString(),
                        vm.spec().serialLog().toString(), vm.spec().disk().toString(), vm.spec().memoryMiB(),
                        vm.spec().ip(), vm.spec().tap(), alive(vm) ? monitor.runState(vm.spec().qmp()) : "stopped", state.accel()))
                .toList()).orElse(List.of());
    }

    private void checkHost() {
        require("qemu-system-x86_64", "QEMU is not installed: apt-get install qemu-system-x86 qemu-utils");
        require("qemu-img", "qemu-img is not installed: apt-get install qemu-utils");
        require("ip", "the ip tool is not installed: apt-get install iproute2");
        if (!HostPaths.isRoot()) {
            throw new LabException(LabException.Kind.MISSING,
                    "the lab's sealed network (a bridge and taps of its own) needs root: run 'hotsnap lab up' as root");
        }
        if (LabNetwork.exists(config.bridge())) {
            throw new LabException(LabException.Kind.CONFLICT, "network link " + config.bridge()
                    + " already exists but no lab is recorded in " + config.dir() + "; remove it with 'ip link del "
                    + config.bridge() + "'");
        }
    }

    private static void require(String tool, String message) {
        if (!HostCommand.onPath(tool)) {
            throw new LabException(LabException.Kind.MISSING, message);
        }
    }

    private LabState.Vm start(LabVmSpec vm, GuestImage image, Accelerator.Choice accel) throws IOException {
        for (Path stale : List.of(vm.qmp(), vm.serialLog(), vm.pidFile(), vm.disk())) {
            Files.deleteIfExists(stale);
        }
        HostCommand.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", vm.disk().toString(), DATA_DISK_SIZE),
                Waits.LAB_LAUNCH);
        LabNetwork.addTap(config.bridge(), vm.tap());
        HostCommand.Result r = HostCommand.run(LabQemuCommand.of(vm, image, accel, config.dirtyMiBps()), Waits.LAB_LAUNCH);
        if (!r.ok()) {
            throw new LabException(LabException.Kind.FAILED, "QEMU refused to start " + vm.name() + ": "
                    + HostCommand.lastLine(r.stderr()));
        }
        long pid = Long.parseLong(Files.readString(vm.pidFile(), StandardCharsets.US_ASCII).strip());
        return new LabState.Vm(vm, pid);
    }

    private void awaitFirstTicks(LabState state) {
        long deadline = System.nanoTime() + timeouts.guestBoot().toNanos();
        List<LabState.Vm> waiting = new ArrayList<>(state.vms());
        while (!waiting.isEmpty()) {
            for (LabState.Vm vm : List.copyOf(waiting)) {
                if (SerialLog.lastTick(vm.spec().serialLog()).isPresent()) {
                    waiting.remove(vm);
                } else if (!alive(vm)) {
                    throw new LabException(LabException.Kind.FAILED, vm.spec().name() + " exited while booting; its serial log "
                            + vm.spec().serialLog() + " ends: " + lastLogLine(vm.spec().serialLog()));
                }
            }
            if (!waiting.isEmpty() && System.nanoTime() > deadline) {
                LabState.Vm late = waiting.get(0);
                throw new LabException(LabException.Kind.FAILED, late.spec().name() + " printed no tick within "
                        + timeouts.guestBoot().toSeconds() + " s; its serial log ends: " + lastLogLine(late.spec().serialLog()));
            }
            sleep(Waits.SERIAL_TICK_POLL);
        }
    }

    /** Everything a (possibly half-made) lab consists of goes, in reverse order; never throws. */
    private void teardown(LabState state, Consumer<String> progress) {
        for (LabState.Vm vm : state.vms()) {
            if (alive(vm)) {
                // Resolved once while it is known to be ours: QEMU removes its pidfile as it exits.
                long pid = pid(vm);
                try {
                    monitor.quit(vm.spec().qmp());
                } catch (RuntimeException e) {
                    // teardown must go on whatever QMP does: the process is killed below if need be
                    LOG.warn("{}: QMP quit failed: {}", vm.spec().name(), e.toString());
                }
                if (!QemuProcess.awaitExit(pid, timeouts.vmQuitGrace())) {
                    LOG.warn("{} did not quit within {}; killing it", vm.spec().name(), timeouts.vmQuitGrace());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    QemuProcess.awaitExit(pid, timeouts.vmQuitGrace());
                }
                progress.accept("stopped " + vm.spec().name());
            }
            LabNetwork.deleteQuietly(vm.spec().tap());
            for (Path p : List.of(vm.spec().qmp(), vm.spec().serialLog(), vm.spec().pidFile(), vm.spec().disk())) {
                deleteQuietly(p);
            }
            removeRestoreOverlays(vm.spec());
        }
        // A VM that failed to start is not in the state, but its tap may exist already.
        for (int i = 1; i <= config.vms(); i++) {
            LabNetwork.deleteQuietly(config.vm(i).tap());
        }
        LabNetwork.deleteQuietly(state.bridge());
        deleteQuietly(LabState.file(config.dir()));
        deleteQuietly(config.dir());
    }

    /**
     * Alive and still a QEMU of this VM (a recycled PID must never be killed). The PID comes from
     * the VM's pidfile, which a restored VM rewrites, so a restore in place stays part of the lab.
     */
    private boolean alive(LabState.Vm vm) {
        String socket = vm.spec().qmp().toString();
        return QemuProcess.of(pid(vm)).filter(p -> p.cmdline().stream().anyMatch(a -> a.contains(socket))).isPresent();
    }

    private static long pid(LabState.Vm vm) {
        try {
            return Long.parseLong(Files.readString(vm.spec().pidFile(), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return vm.pid();
        }
    }

    /** A restore in place leaves the VM on overlays named after it next to its disk: they go with it. */
    private static void removeRestoreOverlays(LabVmSpec vm) {
        try (var files = Files.newDirectoryStream(vm.disk().getParent(), vm.name() + "-*-from-*.qcow2")) {
            files.forEach(Lab::deleteQuietly);
        } catch (IOException e) {
            // no directory: nothing to remove
        }
    }

    private static String lastLogLine(Path log) {
        try {
            return Files.isRegularFile(log) ? HostCommand.lastLine(Files.readString(log, StandardCharsets.ISO_8859_1)) : "(no log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", p, e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException(LabException.Kind.FAILED, "interrupted");
        }
    }
}
