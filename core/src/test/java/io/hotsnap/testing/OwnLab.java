package io.hotsnap.testing;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.settings.Timeouts;

/**
 * A one-VM lab of a test class's own, for tests that must not disturb the shared {@link TestLab}
 * (a restore in place rewinds TCP state its peers keep; a killed QEMU) or need a dirtying guest.
 */
public final class OwnLab {

    private OwnLab() {
    }

    public static Lab oneVm(String prefix, String bridge, String subnet, int dirtyMiBps) {
        return of(prefix, bridge, subnet, 1, dirtyMiBps);
    }

    public static Lab of(String prefix, String bridge, String subnet, int vms, int dirtyMiBps) {
        LabConfig defaults = LabConfig.defaults();
        return new Lab(defaults.withVms(vms).withDirtyMiBps(dirtyMiBps)
                .withDir(defaults.socketDir().resolve(prefix + "-lab"))
                .withIdentity(prefix, bridge, subnet), Timeouts.defaults());
    }

    /** Up from scratch: the remains of a crashed earlier run are taken down first. */
    public static void upFresh(Lab lab) {
        if (lab.isUp()) {
            lab.down(n -> { });
        }
        lab.up(n -> System.err.println("[" + lab.config().namePrefix() + " lab] " + n));
    }
}
