package io.hotsnap.testing;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabException;
import io.hotsnap.lab.LabVmStatus;
import java.nio.file.Path;
import java.util.List;

/**
 * A one-VM lab of its own for tests that may kill or wreck their VM (SIGKILL, a QEMU that stops
 * answering), so that the shared {@link TestLab} never suffers for them. Its guest dirties memory
 * at 50 MiB/s, so a full snapshot of it takes seconds. Brought up on first use, brought up again
 * when a test left its VM dead or unresponsive, taken down by {@link #close()}.
 */
public final class FaultLab implements AutoCloseable {

    private final Lab lab;

    public FaultLab(String prefix, String bridge, String subnet) {
        this.lab = OwnLab.lab(prefix, bridge, subnet, 1, 50);
    }

    public Path socketDir() {
        return lab.config().socketDir();
    }

    /** Its VM, running and answering QMP (the lab's status asks it); a dead or hung one is replaced by a fresh lab first. */
    public LabVmStatus vm() {
        List<LabVmStatus> vms = lab.status();
        if (vms.size() == 1 && vms.get(0).state().equals("running")) {
            return vms.get(0);
        }
        close();
        return lab.up(note -> System.err.println("[fault lab] " + note)).get(0);
    }

    /** Its VM in a lab brought up just now: for tests that need a QEMU no earlier fault has touched. */
    public LabVmStatus freshVm() {
        close();
        return lab.up(note -> System.err.println("[fault lab] " + note)).get(0);
    }

    @Override
    public void close() {
        try {
            lab.down(note -> System.err.println("[fault lab] " + note));
        } catch (LabException e) {
            // nothing was up
        }
    }
}
