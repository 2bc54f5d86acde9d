package io.hotsnap.testing;

import io.hotsnap.lab.Lab;
import io.hotsnap.lab.LabConfig;
import io.hotsnap.settings.Timeouts;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A lab of a test class's own, for tests that must not disturb the shared {@link TestLab} (a
 * restore in place rewinds TCP state its peers keep; a killed QEMU) or need a dirtying guest.
 * Registered with {@code @RegisterExtension static final OwnLab LAB = OwnLab.of(…)}: up before the
 * class's tests (the remains of a crashed earlier run taken down first), down after them.
 */
public final class OwnLab implements BeforeAllCallback, AfterAllCallback {

    private final Lab lab;

    private OwnLab(Lab lab) {
        this.lab = lab;
    }

    public static OwnLab of(String prefix, String bridge, String subnet, int vms, int dirtyMiBps) {
        return new OwnLab(lab(prefix, bridge, subnet, vms, dirtyMiBps));
    }

    /** The lab itself, not yet up: for tests that bring it up and down as they need. */
    public static Lab lab(String prefix, String bridge, String subnet, int vms, int dirtyMiBps) {
        LabConfig defaults = LabConfig.defaults();
        return new Lab(defaults.withVms(vms).withDirtyMiBps(dirtyMiBps)
                .withDir(defaults.socketDir().resolve(prefix + "-lab"))
                .withIdentity(prefix, bridge, subnet), Timeouts.defaults());
    }

    public Lab lab() {
        return lab;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (lab.isUp()) {
            lab.down(n -> { });
        }
        lab.up(n -> System.err.println("[" + lab.config().namePrefix() + " lab] " + n));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        lab.down(n -> { });
    }
}
