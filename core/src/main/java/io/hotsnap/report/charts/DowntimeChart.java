package io.hotsnap.report.charts;

import java.awt.geom.Rectangle2D;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPosition;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.CategoryLabelWidthType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.AbstractCategoryItemRenderer;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.text.TextBlockAnchor;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Downtime (STOP → RESUME) as one bar per name: per VM of a cut, per mode of a benchmark, per
 * snapshot of a comparison. A bar may carry a tick at a maximum (a median's bar, its largest
 * run), and, in a file, its figures as a label.
 */
public final class DowntimeChart {

    /** One bar: {@code ms} null while not known, {@code maxMs} null without a maximum. */
    public record Bar(String name, Double ms, Double maxMs) {
    }

    private static final String SERIES = "downtime";
    private static final String MAX = "maximum";

    private final DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    private final DefaultCategoryDataset maxima = new DefaultCategoryDataset();
    private final CategoryAxis nameAxis = new CategoryAxis();
    /** Each bar's label: on the bar's end, or past its maximum's tick when it has one. */
    private final Map<Comparable<?>, String> barFigures = new HashMap<>();
    private final Map<Comparable<?>, String> tickFigures = new HashMap<>();
    private final JFreeChart chart;

    /** @param figures label each bar with its figures (a file: the screen has the table beside it) */
    public DowntimeChart(boolean figures) {
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, Palette.PAUSE);
        renderer.setMaximumBarWidth(0.08);
        LineAndShapeRenderer ticks = new LineAndShapeRenderer(false, true);
        ticks.setSeriesPaint(0, Palette.MAX);
        ticks.setSeriesShape(0, new Rectangle2D.Double(-1, -7, 2, 14));
        if (figures) {
            label(renderer, barFigures);
            label(ticks, tickFigures);
            renderer.setMaximumBarWidth(0.6);
        }
        ChartLook.style(nameAxis);
        // JFreeChart gives names on the left 30 % of the plot's width and cuts the rest with "…";
        // the names are what the chart is read by.
        CategoryLabelPositions standard = nameAxis.getCategoryLabelPositions();
        nameAxis.setCategoryLabelPositions(new CategoryLabelPositions(standard.getLabelPosition(RectangleEdge.TOP),
                standard.getLabelPosition(RectangleEdge.BOTTOM), new CategoryLabelPosition(RectangleAnchor.RIGHT,
                        TextBlockAnchor.CENTER_RIGHT, CategoryLabelWidthType.RANGE, 0.5f), standard.getLabelPosition(RectangleEdge.RIGHT)));
        NumberAxis ms = new NumberAxis("downtime, ms");
        ChartLook.style(ms);
        if (figures) {
            // Room right of the longest bar for its label.
            ms.setUpperMargin(0.3);
        }
        CategoryPlot plot = new CategoryPlot(dataset, nameAxis, ms, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDataset(1, maxima);
        plot.setRenderer(1, ticks);
        plot.setRangeGridlinePaint(Palette.GRID);
        chart = ChartLook.chart(plot);
    }

    public JFreeChart chart() {
        return chart;
    }

    /** The bars: one series, a column per name. */
    public DefaultCategoryDataset dataset() {
        return dataset;
    }

    /** The maxima, a column per name that has one. */
    public DefaultCategoryDataset maxima() {
        return maxima;
    }

    /** Replaces every bar, top down in the order given; one redraw. */
    public void show(List<Bar> bars) {
        ChartLook.batch(chart, List.of(dataset::setNotify, maxima::setNotify), () -> {
            dataset.clear();
            maxima.clear();
            barFigures.clear();
            tickFigures.clear();
            for (Bar b : bars) {
                dataset.addValue(b.ms(), SERIES, b.name());
                if (b.ms() == null) {
                    continue;
                }
                if (b.maxMs() == null) {
                    barFigures.put(b.name(), fmt(b.ms()) + " ms");
                } else {
                    maxima.addValue(b.maxMs(), MAX, b.name());
                    tickFigures.put(b.name(), fmt(b.ms()) + " / " + fmt(b.maxMs()) + " ms");
                }
            }
            boolean labelled = bars.size() <= ChartLook.MAX_LABELLED_ROWS;
            nameAxis.setTickLabelsVisible(labelled);
            nameAxis.setLabel(labelled ? null : bars.size() + " VMs");
        });
    }

    /** Labels the renderer's items with the figures of their names, right of the item. */
    private static void label(AbstractCategoryItemRenderer renderer, Map<Comparable<?>, String> figures) {
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            @Override
            public String generateLabel(CategoryDataset data, int row, int column) {
                return figures.get(data.getColumnKey(column));
            }
        });
        renderer.setDefaultItemLabelFont(ChartLook.LABEL);
        renderer.setDefaultItemLabelPaint(Palette.TEXT);
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }
}
