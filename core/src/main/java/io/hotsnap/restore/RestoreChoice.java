package io.hotsnap.restore;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One VM of a snapshot to bring back, and how.
 *
 * @param vm         the VM's name in the snapshot
 * @param asClone    null: in place (the VM now running under that name is shut down first); else the
 *                   clone's name (the original keeps running)
 * @param persistent a clone of a libvirt domain that libvirt keeps defined after it stops ({@code virsh
 *                   define}); false: a transient domain, gone once it stops. In place, a domain keeps
 *                   the kind it has, so this is for clones only.
 */
public record RestoreChoice(String vm, String asClone, @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean persistent) {

    public RestoreChoice {
        // Absent on the wire (an older console, or a transient clone): false.
        persistent = Boolean.TRUE.equals(persistent);
        if (vm == null || vm.isBlank()) {
            throw new IllegalArgumentException("vm is required");
        }
        if (asClone != null && asClone.isBlank()) {
            throw new IllegalArgumentException("asClone must be a name or absent, got a blank one");
        }
        if (persistent && asClone == null) {
            throw new IllegalArgumentException("persistent is for a clone: in place, the domain stays as persistent as it is");
        }
    }

    public static RestoreChoice inPlace(String vm) {
        return new RestoreChoice(vm, null, false);
    }

    /** A clone; of a libvirt domain, a transient one. */
    public static RestoreChoice asClone(String vm, String name) {
        return new RestoreChoice(vm, name, false);
    }

    public boolean inPlace() {
        return asClone == null;
    }

    /** The name the VM runs under once restored. */
    public String restoredName() {
        return inPlace() ? vm : asClone;
    }
}
