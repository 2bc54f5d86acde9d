package io.hotsnap.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.ClusterResult;
import io.hotsnap.protocol.Coverage;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.protocol.VmResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A report of an auto-mode cut says, one line per VM, which way the cut covered it and why. */
class CoverageReportTest {

    @Test
    void everyVmsCoverageIsOneLineOfTheSnapshotReport() {
        ClusterResult recorded = RecordedSnapshot.result();
        List<VmResult> vms = recorded.vms().stream().map(v -> new VmResult(v.name(), v.host(), v.downtimeMs(), v.holdMs(), v.transientMs(),
                v.fullMs(), v.memoryBytes(), v.diskBytes(), v.stopAt(),
                v.name().equals("lab2") ? Coverage.barrier("NIC net0 (netdev net0, tap) uses vhost") : Coverage.hold())).toList();
        ClusterResult auto = new ClusterResult(recorded.id(), recorded.status(), "auto", recorded.skewMs(), recorded.commitMs(),
                recorded.clockUncertaintyMs(), vms, recorded.tcp());
        String html = HtmlWriter.write(SnapshotDocument.of(new CatalogEntry(RecordedSnapshot.manifest(),
                new SnapshotRecord(auto, RecordedSnapshot.events()))));
        assertTrue(html.contains("covered by barrier: NIC net0 (netdev net0, tap) uses vhost"), html);
        for (VmResult v : vms) {
            assertTrue(html.contains(v.name() + " (" + v.host() + ")"), v.name());
        }
        assertTrue(html.contains("covered by hold"), "the held VMs");
    }
}
