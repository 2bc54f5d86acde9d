package io.hotsnap.restore;

/**
 * One VM of a snapshot to bring back, and how.
 *
 * @param vm      the VM's name in the snapshot
 * @param asClone null: in place (the VM now running under that name is shut down first); else the
 *                clone's name (the original keeps running)
 */
public record RestoreChoice(String vm, String asClone) {

    public RestoreChoice {
        if (vm == null || vm.isBlank()) {
            throw new IllegalArgumentException("vm is required");
        }
        if (asClone != null && asClone.isBlank()) {
            throw new IllegalArgumentException("asClone must be a name or absent, got a blank one");
        }
    }

    public static RestoreChoice inPlace(String vm) {
        return new RestoreChoice(vm, null);
    }

    public static RestoreChoice asClone(String vm, String name) {
        return new RestoreChoice(vm, name);
    }

    public boolean inPlace() {
        return asClone == null;
    }

    /** The name the VM runs under once restored. */
    public String restoredName() {
        return inPlace() ? vm : asClone;
    }
}
