package io.hotsnap.snapshot;

/**
 * How a VM's snapshot is taken. {@code HOTSNAP} is the paper's: a transient snapshot of a few ms,
 * then a copy-on-write background copy. The two baselines run the same code path so that their
 * costs are measured, not quoted.
 */
public enum SnapshotMode {
    /** stop → disk point-in-time → {@code background-snapshot} migration; QEMU resumes the guest at once. */
    HOTSNAP,
    /** stop → copy memory and disks → cont: what {@code savevm} / {@code virsh save} cost. */
    STOPCOPY,
    /** live migration to the file; the snapshot point is its final stop (VNsnap, libvirt {@code --live}). */
    PRECOPY;

    public String cliName() {
        return name().toLowerCase();
    }

    public static SnapshotMode parse(String s) {
        for (SnapshotMode m : values()) {
            if (m.cliName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--mode must be hotsnap, stopcopy or precopy, not '" + s + "'");
    }
}
