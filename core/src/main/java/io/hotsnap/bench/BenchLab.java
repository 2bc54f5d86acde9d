package io.hotsnap.bench;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.lab.LabException;
import io.hotsnap.lab.LabVmStatus;
import io.hotsnap.settings.Timeouts;
import java.util.List;
import java.util.function.Consumer;

/**
 * The benchmark's own lab: one 256 MiB VM with its own names, bridge and subnet, so that it runs
 * beside an administrator's lab and the integration-test lab without touching them. Brought up once
 * per load level; {@link #down()} may be called from any thread (the shutdown hook), any number of
 * times, and never takes down a lab this object did not bring up.
 */
final class BenchLab {

    static final String PREFIX = "bench";
    static final String BRIDGE = "hsbr-bench";
    static final String SUBNET = "10.76.0";
    static final int MEMORY_MIB = 256;

    private final Timeouts timeouts;
    private final Consumer<String> progress;
    private final Object lifecycle = new Object();
    /** The lab this object brought up (or is bringing up); null when none. Guarded by {@link #lifecycle}. */
    private Lab current;

    BenchLab(Timeouts timeouts, Consumer<String> progress) {
        this.timeouts = timeouts;
        this.progress = progress;
    }

    static LabConfig config(int dirtyMiBps) {
        LabConfig defaults = LabConfig.defaults();
        return defaults.withVms(1)
                .withMemoryMiB(MEMORY_MIB)
                .withDir(defaults.socketDir().resolve(PREFIX + "-lab"))
                .withIdentity(PREFIX, BRIDGE, SUBNET)
                .withDirtyMiBps(dirtyMiBps);
    }

    /** Refuses, with what to do about it, if a lab with the bench identity is already up. */
    void checkFree() {
        LabConfig c = config(0);
        if (new Lab(c, timeouts).isUp()) {
            throw new LabException(LabException.Kind.CONFLICT, "a bench lab (VM " + PREFIX + "1, bridge " + BRIDGE + ") is already up in "
                    + c.dir() + ": another 'hotsnap bench' is probably running; if not, take it down with 'hotsnap lab down --dir "
                    + c.dir() + "'");
        }
    }

    /** Boots the VM with the given dirtying rate; @return its status (name, QMP socket, accelerator). */
    LabVmStatus up(int dirtyMiBps) {
        synchronized (lifecycle) {
            if (current != null) {
                throw new IllegalStateException("the bench lab is already up");
            }
            checkFree();
            Lab lab = new Lab(config(dirtyMiBps), timeouts);
            current = lab;
            try {
                List<LabVmStatus> vms = lab.up(note -> progress.accept("lab: " + note));
                return vms.get(0);
            } catch (RuntimeException e) {
                current = null; // Lab.up removed what it made
                throw e;
            }
        }
    }

    /** The VM's run state as QEMU reports it ("running", "paused" …), or "stopped" if its QEMU is gone. */
    String vmState() {
        synchronized (lifecycle) {
            return current == null ? "stopped" : current.status().stream().map(LabVmStatus::state).findFirst().orElse("stopped");
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
