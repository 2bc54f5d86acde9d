package io.hotsnap.testing;

import io.hotsnap.host.HostCommand;
import io.hotsnap.lab.GuestImage;
import io.hotsnap.lab.LabConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The lab's guest (ticking on its serial console and in sector 0 of vda) started by hand, with the
 * disk arguments a test gives, as an administrator's own QEMU or libvirt would start it (its QMP
 * socket in {@code socketDir}, so the engine finds it there by name) or as Proxmox VE would. No NIC (nothing to hold; the
 * guest waits 5 s for one, then ticks). {@link #close} ends whatever QEMU its pid file names then,
 * the restored one included.
 */
public final class DiskGuest implements AutoCloseable {

    private static final Duration FIRST_TICK = Duration.ofMinutes(3);

    private final String name;
    private final Path qmp;
    private final Path serialLog;
    private final Path pidFile;

    private DiskGuest(String name, Path qmp, Path serialLog, Path pidFile) {
        this.name = name;
        this.qmp = qmp;
        this.serialLog = serialLog;
        this.pidFile = pidFile;
    }

    public static DiskGuest boot(Path socketDir, String name, List<String> diskArgs) {
        DiskGuest guest = new DiskGuest(name, socketDir.resolve(name + ".qmp"), socketDir.resolve(name + ".serial.log"),
                socketDir.resolve(name + ".pid"));
        return guest.start(List.of("-name", name, "-qmp", "unix:" + guest.qmp + ",server=on,wait=off", "-pidfile", guest.pidFile.toString()),
                diskArgs);
    }

    /**
     * VM {@code vmid} as Proxmox VE starts it, under {@code root} in place of {@code /}: its QMP socket a
     * chardev under a {@code -mon} in {@code var/run/qemu-server/VMID.qmp} (where {@code ProxmoxSource}
     * finds it), a second monitor connecting to {@code qmeventd}'s socket, its pid file and VNC socket
     * beside the QMP one. Not {@code -id VMID}: that option is Proxmox's own patch, which upstream QEMU
     * refuses ("-id: invalid option"). The serial console goes to {@code serialLog}.
     */
    public static DiskGuest proxmox(Path root, int vmid, String name, Path serialLog, List<String> diskArgs) {
        Path run = root.resolve("var/run/qemu-server");
        DiskGuest guest = new DiskGuest(name, run.resolve(vmid + ".qmp"), serialLog, run.resolve(vmid + ".pid"));
        return guest.start(List.of("-name", name + ",debug-threads=on", "-no-shutdown",
                "-chardev", "socket,id=qmp,path=" + guest.qmp + ",server=on,wait=off", "-mon", "chardev=qmp,mode=control",
                "-chardev", "socket,id=qmp-event,path=" + root.resolve("var/run/qmeventd.sock") + ",reconnect=5",
                "-mon", "chardev=qmp-event,mode=control", "-pidfile", guest.pidFile.toString(),
                "-vnc", "unix:" + run.resolve(vmid + ".vnc") + ",password=on"), diskArgs);
    }

    /** Starts the lab guest with {@code managerArgs} (name, monitors, pid file) and the disks; waits for its first tick. */
    private DiskGuest start(List<String> managerArgs, List<String> diskArgs) {
        GuestImage image = GuestImage.ensure(LabConfig.defaults().guestCache(), Optional.empty());
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64"));
        command.addAll(managerArgs);
        command.addAll(List.of("-M", "pc", "-accel", "tcg", "-m", "128", "-smp", "1", "-nodefaults", "-no-user-config", "-display", "none",
                "-kernel", image.vmlinux().toString(), "-initrd", image.initrd().toString(),
                "-append", GuestImage.KERNEL_OPTIONS + " hs.name=" + name + " hs.dirty=0", "-serial", "file:" + serialLog));
        command.addAll(diskArgs);
        command.add("-daemonize");
        HostCommand.check(command, Duration.ofSeconds(60));
        try {
            GuestLog.awaitTick(serialLog, 1, FIRST_TICK, name + " boots");
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        return this;
    }

    public String name() {
        return name;
    }

    public Path qmp() {
        return qmp;
    }

    public Path serialLog() {
        return serialLog;
    }

    /** The QEMU running the guest now (after a restore in place, the restored one). */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    /** The running QEMU's command line, as {@code /proc} has it. */
    public List<String> cmdline() throws IOException {
        return List.of(Files.readString(Path.of("/proc", Long.toString(pid()), "cmdline")).split("\0"));
    }

    @Override
    public void close() {
        try {
            Optional<ProcessHandle> qemu = ProcessHandle.of(pid());
            if (qemu.isPresent()) {
                qemu.get().destroy();
                qemu.get().onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (IOException | NumberFormatException e) {
            // never started, or its pid file is gone with it
        } catch (Exception e) {
            ProcessHandle.of(pidOrZero()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private long pidOrZero() {
        try {
            return pid();
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
