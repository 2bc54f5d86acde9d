package io.hotsnap.libvirt;

import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import java.time.Duration;
import java.util.Optional;

/** QMP to a libvirt domain named by its target {@code libvirt:URI/NAME}, for a process that has only that name (the guard). */
public final class LibvirtQmp {

    static final String PREFIX = "libvirt:";

    private LibvirtQmp() {
    }

    /** A client through libvirt's pass-through for a {@code libvirt:URI/NAME} target; empty for any other target. */
    public static Optional<QmpClient> client(String target, Timeouts timeouts) {
        return endpoint(target, timeouts.qmpCommand()).map(e -> e.qmpClient(timeouts));
    }

    /** A domain name has no slash; a URI may have several ({@code qemu:///system}). */
    static Optional<LibvirtEndpoint> endpoint(String target, Duration timeout) {
        int slash = target.lastIndexOf('/');
        if (!target.startsWith(PREFIX) || slash < PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(new LibvirtEndpoint(Virsh.session(target.substring(PREFIX.length(), slash)), target.substring(slash + 1),
                Optional.empty(), timeout));
    }
}
