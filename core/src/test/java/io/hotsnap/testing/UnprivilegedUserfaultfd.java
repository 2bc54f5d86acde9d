package io.hotsnap.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code vm.unprivileged_userfaultfd=1} for a test class, put back as it was afterwards: libvirt's
 * QEMU is not root, and without it its background snapshot is refused (Debian's default is 0).
 * Register it before anything that starts a domain.
 */
public final class UnprivilegedUserfaultfd implements BeforeAllCallback, AfterAllCallback {

    private static final Path SYSCTL = Path.of("/proc/sys/vm/unprivileged_userfaultfd");
    private String before;

    /** Sets it to 0 or 1 now, within the class (the refusal's test). */
    public void set(boolean allowed) throws Exception {
        Files.writeString(SYSCTL, allowed ? "1" : "0");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        before = Files.readString(SYSCTL).strip();
        set(true);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (before != null) {
            Files.writeString(SYSCTL, before);
        }
    }
}
