package io.hotsnap.app.dashboard;

import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The live snapshot dashboard: status line; timeline, downtime and TCP charts side by side; the
 * per-VM table; the filterable event log. Builds nodes and binds them to a
 * {@link DashboardViewModel}; the charts are redrawn after each applied batch ({@link ChartRedraw}). Node ids (styles,
 * tests): {@code dashboard}, {@code dashboardStatus}, {@code timelineChart}, {@code downtimeChart},
 * {@code tcpChart}, {@code vmTable}, {@code eventLog}, {@code eventFilter}.
 */
public final class DashboardView {

    private final DashboardViewModel viewModel;
    private final TimelineView timeline = new TimelineView();
    private final DowntimeView downtime = new DowntimeView();
    private final TcpView tcp = new TcpView();
    private final VBox root = new VBox();
    private final ChartRedraw redraw;

    public DashboardView(DashboardViewModel viewModel) {
        this.viewModel = viewModel;
        root.setId("dashboard");
        root.getStyleClass().add("dashboard");

        SplitPane charts = new SplitPane(timeline.node(), downtime.node(), tcp.node());
        charts.setDividerPositions(0.45, 0.7);
        TableView<VmRow> table = VmTable.create(viewModel.rows());
        ListView<LogLine> log = eventLog();
        SplitPane body = new SplitPane(charts, table, eventPane(log));
        body.setOrientation(Orientation.VERTICAL);
        body.setDividerPositions(0.5, 0.78);
        VBox.setVgrow(body, Priority.ALWAYS);
        root.getChildren().addAll(statusLine(), body);

        PendingCss.watch(table, log);
        // The downtime chart reads the rows' values, which are published with the last chart.
        redraw = new ChartRedraw(List.of(this::drawTimeline, this::drawTcp, this::drawDowntime), viewModel.revisionProperty()::get);
        viewModel.publishTableWith(redraw::withLastChart);
        viewModel.revisionProperty().addListener((obs, old, now) -> redraw.request());
        redraw.drawNow();
    }

    public Node getRoot() {
        return root;
    }

    private Label statusLine() {
        Label status = new Label();
        status.setId("dashboardStatus");
        status.getStyleClass().add("dashboard-status");
        status.setMaxWidth(Double.MAX_VALUE);
        status.textProperty().bind(viewModel.statusTextProperty());
        viewModel.stateProperty().addListener((obs, old, now) -> showState(status, now));
        showState(status, viewModel.stateProperty().get());
        return status;
    }

    private static void showState(Label status, DashboardState state) {
        for (DashboardState s : DashboardState.values()) {
            status.pseudoClassStateChanged(PseudoClass.getPseudoClass(s.name().toLowerCase(Locale.ROOT)), s == state);
        }
    }

    /** Virtualised: only the visible lines have cells, however long the log. */
    private ListView<LogLine> eventLog() {
        ListView<LogLine> log = new ListView<>(viewModel.eventLog());
        log.setId("eventLog");
        log.getStyleClass().add("event-log");
        log.setPlaceholder(new Label("No events yet"));
        VBox.setVgrow(log, Priority.ALWAYS);
        return log;
    }

    private VBox eventPane(ListView<LogLine> log) {
        TextField filter = new TextField();
        filter.setId("eventFilter");
        filter.setPromptText("Filter events (host, VM, kind, text)");
        filter.textProperty().bindBidirectional(viewModel.eventFilterProperty());
        HBox.setHgrow(filter, Priority.ALWAYS);
        Label title = new Label("Events");
        title.getStyleClass().add("pane-title");
        HBox bar = new HBox(title, filter);
        bar.getStyleClass().add("event-filter-bar");

        VBox pane = new VBox(bar, log);
        pane.getStyleClass().add("event-pane");
        return pane;
    }

    private void drawTimeline() {
        timeline.show(viewModel.rows().stream().map(r -> VmTrack.name(r.host(), r.vm())).toList(), viewModel.timelineSegments(),
                viewModel.timelineMarkers());
    }

    private void drawDowntime() {
        downtime.show(viewModel.rows(), viewModel.skewMsProperty().get());
    }

    private void drawTcp() {
        tcp.show(viewModel.tcpFlows(), viewModel.timelineMarkers(), viewModel.orphanPacketsProperty().get(), viewModel.tcpNoteProperty().get());
    }

    /** The view-model revision the charts show. */
    ReadOnlyLongProperty drawnRevisionProperty() {
        return redraw.drawnRevisionProperty();
    }

    XYIntervalSeriesCollection timelineBars() {
        return timeline.chart().bars();
    }

    XYSeriesCollection timelineMarks() {
        return timeline.chart().marks();
    }

    DefaultCategoryDataset downtimeBars() {
        return downtime.chart().dataset();
    }

    XYIntervalSeriesCollection tcpStalls() {
        return tcp.chart().stalls();
    }

    XYSeriesCollection tcpRetransmits() {
        return tcp.chart().retransmits();
    }
}
