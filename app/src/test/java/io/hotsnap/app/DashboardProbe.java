package io.hotsnap.app;

import io.hotsnap.app.dashboard.ChartImage;
import io.hotsnap.app.dashboard.DashboardState;
import io.hotsnap.app.dashboard.DashboardViewModel;
import io.hotsnap.app.dashboard.VmRow;
import java.util.List;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.testfx.api.FxRobot;

/** What the dashboard on screen shows, read on the FX thread: its rows' states and its charts' data points. */
final class DashboardProbe {

    static final List<String> CHARTS = List.of("#timelineChart", "#downtimeChart", "#tcpChart");

    private final FxRobot robot;
    private final MainViewModel model;

    DashboardProbe(FxRobot robot, MainViewModel model) {
        this.robot = robot;
        this.model = model;
    }

    boolean copying() throws Exception {
        return ConsoleLabIT.fx(() -> rowsNow().stream().anyMatch(r -> r.stateProperty().get().startsWith("copying")));
    }

    /** Every VM is copying, each at least this far. */
    boolean copiedAtLeast(double progress) throws Exception {
        return ConsoleLabIT.fx(() -> !rowsNow().isEmpty() && rowsNow().stream()
                .allMatch(r -> r.stateProperty().get().startsWith("copying") && r.progressProperty().get() >= progress));
    }

    /** The dashboard says COMMITTED and so does every VM row. */
    boolean committed() throws Exception {
        return ConsoleLabIT.fx(() -> {
            DashboardViewModel d = dashboard();
            return d != null && d.stateProperty().get() == DashboardState.COMMITTED && !d.rows().isEmpty()
                    && d.rows().stream().allMatch(r -> r.stateProperty().get().equals("committed"));
        });
    }

    boolean failed() throws Exception {
        return ConsoleLabIT.fx(() -> dashboard() != null && dashboard().stateProperty().get() == DashboardState.FAILED);
    }

    List<String> rows() throws Exception {
        return ConsoleLabIT.fx(() -> rowsNow().stream().map(r -> r.vm() + "=" + r.stateProperty().get()).toList());
    }

    /** Every chart of the shown dashboard has data points. */
    boolean chartsHoldData() throws Exception {
        return ConsoleLabIT.fx(() -> CHARTS.stream().allMatch(id -> points(robot.lookup(id).query()) > 0));
    }

    private List<VmRow> rowsNow() {
        DashboardViewModel d = dashboard();
        return d == null ? List.of() : List.copyOf(d.rows());
    }

    private DashboardViewModel dashboard() {
        return model.dashboardProperty().get();
    }

    static int points(ChartImage viewer) {
        Plot plot = viewer.getChart().getPlot();
        int n = 0;
        if (plot instanceof XYPlot xy) {
            for (int d = 0; d < xy.getDatasetCount(); d++) {
                XYDataset set = xy.getDataset(d);
                for (int s = 0; set != null && s < set.getSeriesCount(); s++) {
                    n += set.getItemCount(s);
                }
            }
        } else if (plot instanceof CategoryPlot category) {
            CategoryDataset set = category.getDataset();
            n = set == null ? 0 : set.getRowCount() * set.getColumnCount();
        }
        return n;
    }
}
