package io.hotsnap.vm;

import io.hotsnap.host.SafeName;
import io.hotsnap.settings.Timeouts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The VM sources of one host, asked together: the engine finds a VM by name here and sees one
 * {@link VmEndpoint} whatever its source. A source that cannot be asked costs its own VMs only.
 * Which sources a host has is decided above this package (libvirt is a plug-in, not known here).
 */
public final class VmSources {

    private final List<VmSource> sources;
    private final Timeouts timeouts;

    public VmSources(List<VmSource> sources) {
        this(sources, Timeouts.defaults());
    }

    /** @param timeouts for asking a VM its QEMU name, when a name is none of the sources' */
    public VmSources(List<VmSource> sources, Timeouts timeouts) {
        this.sources = List.copyOf(sources);
        this.timeouts = timeouts;
    }

    /** Every source's VMs, and a line for each source that could not be asked. */
    public record Listing(List<VmRef> vms, List<String> unavailable) {
    }

    /** A VM whose name no one could confirm on one line (a control character) is left out, with a line saying so. */
    public Listing list() {
        List<VmRef> vms = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (VmSource source : sources) {
            try {
                for (VmRef vm : source.list()) {
                    refusal(vm.name()).ifPresentOrElse(unavailable::add, () -> vms.add(vm));
                }
            } catch (VmSourceException e) {
                unavailable.add(e.getMessage());
            }
        }
        return new Listing(vms, unavailable);
    }

    /** Why {@code name} cannot name a VM here, in one line; empty when it can. */
    private static Optional<String> refusal(String name) {
        try {
            SafeName.checkVmName(name);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The VM called {@code name}: by its sources' name, else by QEMU's own {@code -name} (which
     * costs a question to every running VM, so it is asked only when the first finds nothing).
     *
     * @throws VmSourceException one line: unknown (with the sources that could not be asked),
     *                           ambiguous, or known but not running
     */
    public VmRef find(String name) {
        refusal(name).ifPresent(why -> {
            throw new VmSourceException(why);
        });
        List<VmRef> matches = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (VmSource source : sources) {
            try {
                source.find(name).ifPresent(matches::add);
            } catch (VmSourceException e) {
                unavailable.add(e.getMessage());
            }
        }
        if (matches.isEmpty()) {
            matches.addAll(byQemuName(name));
        }
        if (matches.isEmpty()) {
            List<String> known = list().vms().stream().map(VmRef::name).sorted().toList();
            throw new VmSourceException("unknown VM '" + name + "' on this host (known: " + String.join(", ", known)
                    + (unavailable.isEmpty() ? "" : "; " + String.join("; ", unavailable)) + ")");
        }
        if (matches.size() > 1) {
            throw new VmSourceException("VM name '" + name + "' is ambiguous on this host: it is known to "
                    + String.join(" and ", matches.stream().map(m -> m.source() + (m.name().equals(name) ? "" : " as " + m.name())).toList()));
        }
        VmRef ref = matches.get(0);
        if (!ref.hasQemu()) {
            throw new VmSourceException(name + " (" + ref.source() + ") is " + ref.state() + ", not running");
        }
        return ref;
    }

    private List<VmRef> byQemuName(String name) {
        return list().vms().stream().filter(VmRef::hasQemu)
                .filter(ref -> QemuName.of(ref.endpoint(), timeouts).filter(name::equals).isPresent()).toList();
    }
}
