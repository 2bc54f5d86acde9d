package io.hotsnap.snapshot;

import io.hotsnap.vm.DomainRecord;
import java.util.List;

/**
 * One VM's part of a snapshot ({@code VM/part.json}): enough to check the files and start the VM
 * again. Times are host wall-clock µs; STOP and RESUME are QEMU's own event timestamps.
 *
 * @param kernelRelease the host's kernel release when the snapshot was taken
 *                      ({@code /proc/sys/kernel/osrelease}); null in parts written before it was recorded
 * @param libvirt       the libvirt domain the VM was; null for a VM no libvirt manages (and in parts
 *                      written before it was recorded)
 */
public record VmPart(
        String name,
        String qemuVersion,
        List<String> cmdline,
        String qmp,
        long memoryBytesOfGuest,
        SnapshotFile memory,
        List<DiskCopy> disks,
        long stopAt,
        long resumeAt,
        long transientDoneAt,
        long fullDoneAt,
        String kernelRelease,
        DomainRecord libvirt) {

    public double downtimeMs() {
        return (resumeAt - stopAt) / 1000.0;
    }

    public double transientMs() {
        return (transientDoneAt - stopAt) / 1000.0;
    }

    public double fullMs() {
        return (fullDoneAt - stopAt) / 1000.0;
    }

    public long diskBytes() {
        return disks.stream().mapToLong(d -> d.image().bytes()).sum();
    }
}
