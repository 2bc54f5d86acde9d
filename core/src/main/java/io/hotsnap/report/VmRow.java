package io.hotsnap.report;

import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.VmPart;
import java.util.List;
import java.util.Optional;

/**
 * One VM's figures in a report: the cluster record's when there is one (coordinator clock, holds
 * measured), else the manifest's own part (host clock, no holds).
 *
 * @param qemuVersion   from the manifest's part; null when the manifest has no part of that name
 * @param kernelRelease its host's kernel, from the manifest's part; null when not recorded
 * @param stopAtUs      the VM's snapshot point, µs since the epoch
 */
record VmRow(String name, String host, double downtimeMs, double holdMs, double transientMs, double fullMs,
             long memoryBytes, long diskBytes, String qemuVersion, String kernelRelease, long stopAtUs) {

    static List<VmRow> of(CatalogEntry entry) {
        Manifest m = entry.manifest();
        if (entry.record() == null) {
            return m.vms().stream().map(p -> new VmRow(p.name(), m.host(), p.downtimeMs(), 0, p.transientMs(), p.fullMs(),
                    p.memory().bytes(), p.diskBytes(), p.qemuVersion(), p.kernelRelease(), p.stopAt())).toList();
        }
        return entry.record().result().vms().stream().map(v -> of(v, m)).toList();
    }

    private static VmRow of(VmResult v, Manifest m) {
        Optional<VmPart> part = m.vms().stream().filter(p -> p.name().equals(v.name())).findFirst();
        return new VmRow(v.name(), v.host(), v.downtimeMs(), v.holdMs(), v.transientMs(), v.fullMs(), v.memoryBytes(),
                v.diskBytes(), part.map(VmPart::qemuVersion).orElse(null), part.map(VmPart::kernelRelease).orElse(null), v.stopAt());
    }
}
