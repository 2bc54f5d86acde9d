package io.hotsnap.libvirt;

import io.hotsnap.qmp.QmpClient;
import io.hotsnap.settings.Timeouts;
import java.util.Optional;

/** QMP to a libvirt domain named by its target {@code libvirt:URI/NAME}, for a process that has only that name (the guard). */
public final class LibvirtQmp {

    static final String PREFIX = "libvirt:";

    private LibvirtQmp() {
    }

    /** A client through libvirt's pass-through for a {@code libvirt:URI/NAME} target; empty for any other target. */
    public static Optional<QmpClient> client(String target, Timeouts timeouts) {
        int slash = target.lastIndexOf('/');
        if (!target.startsWith(PREFIX) || slash < PREFIX.length()) {
            return Optional.empty();
        }
        Virsh virsh = Virsh.session(target.substring(PREFIX.length(), slash));
        return Optional.of(new LibvirtEndpoint(virsh, target.substring(slash + 1), Optional.empty(), timeouts.qmpCommand()).qmpClient(timeouts));
    }
}
