package io.hotsnap.bench;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.LabException;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.settings.Timeouts;
import java.util.List;
import java.util.function.Consumer;

/**
 * The benchmark's own lab with its own names, bridge and subnet, so that it runs beside an
 * administrator's lab and the integration-test lab without touching them. Brought up once per lab
 * size; {@link #down()} may be called from any thread (the shutdown hook), any number of
 * times, and never takes down a lab this object did not bring up.
 */
final class BenchLab {

    static final String PREFIX = "bench";
    static final String BRIDGE = "hsbr-bench";
    static final String SUBNET = "10.76.0";

    private final Timeouts timeouts;
    private final Consumer<String> progress;
    private final Object lifecycle = new Object();
    /** The lab this object brought up (or is bringing up); null when none. Guarded by {@link #lifecycle}. */
    private Lab current;

    BenchLab(Timeouts timeouts, Consumer<String> progress) {
        this.timeouts = timeouts;
        this.progress = progress;
    }

    static LabConfig config(BenchOptions.LabSize size, int dirtyMiBps) {
        LabConfig defaults = LabConfig.defaults();
        return defaults.withVms(size.vms())
                .withMemoryMiB(size.memoryMiB())
                .withDir(defaults.socketDir().resolve(PREFIX + "-lab"))
                .withIdentity(PREFIX, BRIDGE, SUBNET)
                .withDirtyMiBps(dirtyMiBps);
    }

    /** Refuses, with what to do about it, if a lab with the bench identity is already up. */
    void checkFree() {
        LabConfig c = config(new BenchOptions.LabSize(1, BenchOptions.DEFAULT_MEMORY_MIB), 0);
        if (new Lab(c, timeouts).isUp()) {
            throw new LabException(LabException.Kind.CONFLICT, "a bench lab (VM " + PREFIX + "1, bridge " + BRIDGE + ") is already up in "
                    + c.dir() + ": another 'hotsnap bench' is probably running; if not, take it down with 'hotsnap lab down --dir "
                    + c.dir() + "'");
        }
    }

    /** Boots the VMs with the given dirtying rate; @return their status (name, QMP socket, accelerator). */
    List<LabVmStatus> up(BenchOptions.LabSize size, int dirtyMiBps) {
        synchronized (lifecycle) {
            if (current != null) {
                throw new IllegalStateException("the bench lab is already up");
            }
            checkFree();
            Lab lab = new Lab(config(size, dirtyMiBps), timeouts);
            current = lab;
            try {
                return lab.up(note -> progress.accept("lab: " + note));
            } catch (RuntimeException e) {
                current = null; // Lab.up removed what it made
                throw e;
            }
        }
    }

    /** Every VM's status as QEMU reports it; empty when the lab is down. */
    List<LabVmStatus> status() {
        synchronized (lifecycle) {
            return current == null ? List.of() : current.status();
        }
    }

    /** Takes down the lab this object brought up, if any; never throws. */
    void down() {
        synchronized (lifecycle) {
            if (current == null) {
                return;
            }
            try {
                current.down(note -> progress.accept("lab: " + note));
            } catch (RuntimeException e) {
                progress.accept("lab: taking the bench lab down failed: " + e.getMessage()
                        + " (remove it with 'hotsnap lab down --dir " + current.config().dir() + "')");
            } finally {
                current = null;
            }
        }
    }
}
