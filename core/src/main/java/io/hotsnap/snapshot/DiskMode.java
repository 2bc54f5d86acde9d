package io.hotsnap.snapshot;

/** How a VM's writable disks are brought to the snapshot point. */
public enum DiskMode {
    /** {@code blockdev-backup sync=full} into the snapshot (copy-before-write keeps the point). */
    COPY,
    /** An external qcow2 overlay: the VM goes on writing to the overlay, its disk as it was stays. */
    OVERLAY,
    /** Memory only. */
    NONE;

    public String cliName() {
        return name().toLowerCase();
    }

    public static DiskMode parse(String s) {
        for (DiskMode m : values()) {
            if (m.cliName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--disk must be copy, overlay or none, not '" + s + "'");
    }
}
