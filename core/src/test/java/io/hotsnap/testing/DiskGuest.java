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
 * disk arguments a test gives, as an administrator's own QEMU or libvirt would start it: its QMP
 * socket in {@code socketDir}, so the engine finds it there by name. No NIC (nothing to hold; the
 * guest waits 5 s for one, then ticks). {@link #close} ends whatever QEMU its pid file names then,
 * the restored one included.
 */
public final class DiskGuest implements AutoCloseable {

    private static final Duration FIRST_TICK = Duration.ofMinutes(3);

    private final String name;
    private final Path socketDir;

    private DiskGuest(String name, Path socketDir) {
        this.name = name;
        this.socketDir = socketDir;
    }

    public static DiskGuest boot(Path socketDir, String name, List<String> diskArgs) {
        GuestImage image = GuestImage.ensure(LabConfig.defaults().guestCache(), Optional.empty());
        DiskGuest guest = new DiskGuest(name, socketDir);
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-name", name, "-M", "pc", "-accel", "tcg",
                "-m", "128", "-smp", "1", "-nodefaults", "-no-user-config", "-display", "none",
                "-kernel", image.vmlinux().toString(), "-initrd", image.initrd().toString(),
                "-append", GuestImage.KERNEL_OPTIONS + " hs.name=" + name + " hs.dirty=0",
                "-serial", "file:" + guest.serialLog(), "-qmp", "unix:" + guest.qmp() + ",server=on,wait=off"));
        command.addAll(diskArgs);
        command.addAll(List.of("-pidfile", guest.pidFile().toString(), "-daemonize"));
        HostCommand.check(command, Duration.ofSeconds(60));
        try {
            GuestLog.awaitTick(guest.serialLog(), 1, FIRST_TICK, name + " boots");
        } catch (RuntimeException | Error e) {
            guest.close();
            throw e;
        }
        return guest;
    }

    public String name() {
        return name;
    }

    public Path qmp() {
        return socketDir.resolve(name + ".qmp");
    }

    public Path serialLog() {
        return socketDir.resolve(name + ".serial.log");
    }

    private Path pidFile() {
        return socketDir.resolve(name + ".pid");
    }

    /** The QEMU running the guest now (after a restore in place, the restored one). */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(pidFile()).strip());
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
