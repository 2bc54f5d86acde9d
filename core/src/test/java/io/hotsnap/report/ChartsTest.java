package io.hotsnap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.hotsnap.protocol.CatalogEntry;
import io.hotsnap.protocol.ClusterEvent;
import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.VmResult;
import io.hotsnap.snapshot.Manifest;
import io.hotsnap.snapshot.VmPart;
import java.util.List;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/** The report's charts hold what the record says, on the dashboard's chart definitions. */
class ChartsTest {

    /** Timeline series: hold, pause, copy; the x of a bar is its row (VMs in the record's order), y the time. */
    private static final int PAUSE = 1;

    @Test
    void timelineHasOnePauseBarPerVmFromItsStopToItsResume() {
        List<ClusterEvent> events = RecordedSnapshot.events();
        long origin = events.stream().mapToLong(ClusterEvent::atMicros).min().orElseThrow();
        IntervalXYDataset bars = timelineBars(new CatalogEntry(RecordedSnapshot.manifest(), RecordedSnapshot.record()));
        List<VmResult> vms = RecordedSnapshot.result().vms();
        assertEquals(vms.size(), bars.getItemCount(PAUSE));
        for (int row = 0; row < vms.size(); row++) {
            String vm = vms.get(row).name();
            assertEquals(row, bars.getXValue(PAUSE, row), 1e-9, vm + "'s row");
            assertEquals((at(events, vm, EventKind.STOP) - origin) / 1000.0, bars.getStartYValue(PAUSE, row), 1e-9, vm + " STOP");
            assertEquals((at(events, vm, EventKind.RESUME) - origin) / 1000.0, bars.getEndYValue(PAUSE, row), 1e-9, vm + " RESUME");
        }
    }

    @Test
    void timelineOfAManifestWithoutRecordStartsAtTheFirstSnapshotPoint() {
        Manifest m = RecordedSnapshot.manifest();
        IntervalXYDataset bars = timelineBars(new CatalogEntry(m, null));
        long origin = m.vms().stream().mapToLong(VmPart::stopAt).min().orElseThrow();
        assertEquals(m.vms().size(), bars.getItemCount(PAUSE));
        for (int row = 0; row < m.vms().size(); row++) {
            assertEquals((m.vms().get(row).stopAt() - origin) / 1000.0, bars.getStartYValue(PAUSE, row), 1e-9, m.vms().get(row).name());
        }
    }

    @Test
    void progressHasALinePerVmOfItsMibDone() {
        CatalogEntry entry = new CatalogEntry(RecordedSnapshot.manifest(), RecordedSnapshot.record());
        Document.Chart chart = Charts.progress(VmPhases.chart(entry), RecordedSnapshot.events());
        assertNotNull(chart, "the record has progress samples");
        XYDataset lines = ((XYPlot) chart.chart().getPlot()).getDataset();
        assertEquals(3, lines.getSeriesCount());
        for (int s = 0; s < lines.getSeriesCount(); s++) {
            String vm = (String) lines.getSeriesKey(s);
            List<ClusterEvent> samples = RecordedSnapshot.events().stream().filter(e -> e.kind() == EventKind.PROGRESS && vm.equals(e.vm())
                    && e.data().path("memoryTotal").asLong() > 0).toList();
            assertEquals(samples.size(), lines.getItemCount(s), vm);
            ClusterEvent last = samples.get(samples.size() - 1);
            assertEquals(last.data().path("memoryDone").asDouble() / (1 << 20), lines.getYValue(s, samples.size() - 1), 1e-9, vm);
        }
    }

    private static IntervalXYDataset timelineBars(CatalogEntry entry) {
        return (IntervalXYDataset) ((XYPlot) Charts.timeline(VmPhases.chart(entry)).chart().getPlot()).getDataset();
    }

    private static long at(List<ClusterEvent> events, String vm, EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind && vm.equals(e.vm())).findFirst().orElseThrow().atMicros();
    }
}
