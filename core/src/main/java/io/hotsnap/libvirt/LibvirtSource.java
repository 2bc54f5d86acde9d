package io.hotsnap.libvirt;

import io.hotsnap.vm.VmRef;
import io.hotsnap.vm.VmSource;
import io.hotsnap.vm.VmSourceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The domains of one libvirt connection ({@code qemu:///system}), asked through the host's
 * {@link Virsh} session. A running domain is reached through libvirt's monitor pass-through, or
 * through the extra QMP socket its definition adds with {@code <qemu:commandline>}.
 */
public final class LibvirtSource implements VmSource {

    public static final String SYSTEM = "qemu:///system";

    private final Virsh virsh;
    private final Duration timeout;

    public LibvirtSource(Virsh virsh, Duration timeout) {
        this.virsh = virsh;
        this.timeout = timeout;
    }

    /** {@code qemu:///system} through its shared session. */
    public static LibvirtSource system(Duration timeout) {
        return new LibvirtSource(Virsh.session(SYSTEM), timeout);
    }

    @Override
    public String kind() {
        return VmRef.LIBVIRT;
    }

    @Override
    public List<VmRef> list() {
        List<VmRef> refs = new ArrayList<>();
        for (String name : ask(List.of("list", "--all", "--name")).lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            try {
                refs.add(describe(name));
            } catch (VirshException e) {
                // undefined between the listing and now: it is no longer this host's
            }
        }
        return refs;
    }

    @Override
    public Optional<VmRef> find(String name) {
        try {
            return Optional.of(describe(name));
        } catch (VirshException e) {
            if (e.getMessage().contains("failed to get domain")) {
                return Optional.empty();
            }
            throw unavailable(e);
        }
    }

    private VmRef describe(String name) {
        String uuid = virsh.run(List.of("domuuid", name), timeout).strip();
        String state = virsh.run(List.of("domstate", name), timeout).strip();
        if (!state.equals("running") && !state.equals("paused")) {
            return new VmRef(name, VmRef.LIBVIRT, uuid, null, state, null);
        }
        Optional<Path> extraSocket = DomainXml.extraQmpSocket(virsh.run(List.of("dumpxml", name), timeout));
        return new VmRef(name, VmRef.LIBVIRT, uuid, null, null, new LibvirtEndpoint(virsh, name, extraSocket, timeout));
    }

    private String ask(List<String> words) {
        try {
            return virsh.run(words, timeout);
        } catch (VirshException e) {
            throw unavailable(e);
        }
    }

    private VmSourceException unavailable(VirshException e) {
        return new VmSourceException("libvirt (" + virsh.uri() + ") does not answer: " + e.getMessage());
    }
}
