package io.hotsnap.app.dashboard;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPosition;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.CategoryLabelWidthType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.text.TextBlockAnchor;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;

/** Each VM's downtime (STOP → RESUME) as a bar, the snapshot-point skew in the subtitle. */
final class DowntimeChart {

    private static final String SERIES = "downtime";

    private final DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    private final CategoryAxis vmAxis = new CategoryAxis();
    private final JFreeChart chart;
    private final Label subtitle = new Label();
    private final Node node;
    /** What is drawn now, so that a batch that changed no downtime costs no redraw. */
    private Shown shown;

    private record Shown(List<String> vms, List<Double> downtimesMs, double skewMs) {
    }

    DowntimeChart() {
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, Palette.PAUSE);
        renderer.setMaximumBarWidth(0.08);
        Charts.style(vmAxis);
        // JFreeChart gives names on the left 30 % of the plot's width and cuts the rest with "…";
        // this chart is narrow, and the names are what it is read by.
        CategoryLabelPositions standard = vmAxis.getCategoryLabelPositions();
        vmAxis.setCategoryLabelPositions(new CategoryLabelPositions(standard.getLabelPosition(RectangleEdge.TOP),
                standard.getLabelPosition(RectangleEdge.BOTTOM), new CategoryLabelPosition(RectangleAnchor.RIGHT,
                        TextBlockAnchor.CENTER_RIGHT, CategoryLabelWidthType.RANGE, 0.5f), standard.getLabelPosition(RectangleEdge.RIGHT)));
        NumberAxis ms = new NumberAxis("downtime, ms");
        Charts.style(ms);
        CategoryPlot plot = new CategoryPlot(dataset, vmAxis, ms, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeGridlinePaint(Palette.GRID);
        chart = Charts.chart(plot);
        node = Charts.frame("Downtime per VM", subtitle, Charts.viewer(chart, "downtimeChart"), null);
    }

    Node node() {
        return node;
    }

    DefaultCategoryDataset dataset() {
        return dataset;
    }

    void show(List<VmRow> rows, double skewMs) {
        Shown next = new Shown(rows.stream().map(r -> VmTrack.name(r.host(), r.vm())).toList(),
                rows.stream().map(r -> r.downtimeMsProperty().get()).toList(), skewMs);
        if (next.equals(shown)) {
            return;
        }
        shown = next;
        subtitle.setText(Double.isNaN(skewMs) ? "skew: no snapshot point yet" : "skew (max − min STOP): " + Units.fixed(skewMs, 3) + " ms");
        Charts.batch(chart, List.of(dataset::setNotify), () -> {
            dataset.clear();
            for (VmRow r : rows) {
                double downtime = r.downtimeMsProperty().get();
                dataset.addValue(Double.isNaN(downtime) ? null : downtime, SERIES, VmTrack.name(r.host(), r.vm()));
            }
            boolean labelled = rows.size() <= Charts.MAX_LABELLED_ROWS;
            vmAxis.setTickLabelsVisible(labelled);
            vmAxis.setLabel(labelled ? null : rows.size() + " VMs");
        });
    }
}
