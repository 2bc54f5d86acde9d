package io.hotsnap.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.testfx.api.FxAssert.verifyThat;
import static org.testfx.matcher.base.NodeMatchers.isVisible;

import io.hotsnap.protocol.EventKind;
import io.hotsnap.protocol.SnapshotRecord;
import io.hotsnap.report.charts.Palette;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Background;
import javafx.scene.layout.CornerRadii;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.Range;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** The dashboard view on a 1280×800 stage, showing the recorded 3-VM hold snapshot. */
class DashboardViewTest extends FxRobot {

    private static final SnapshotRecord RECORDED = Recorded.snapshot();

    private DashboardViewModel viewModel;
    private DashboardView view;

    @BeforeEach
    void showDashboard() throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        viewModel = new DashboardViewModel();
        FxToolkit.setupStage(s -> {
            view = new DashboardView(viewModel);
            Scene scene = new Scene(new StackPane(view.getRoot()), 1280, 800);
            scene.getStylesheets().add(getClass().getResource("/io/hotsnap/app/hotsnap.css").toExternalForm());
            s.setScene(scene);
            s.show();
        });
        assertNotNull(stage);
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
    }

    private void replay() throws Exception {
        viewModel.replay(RECORDED);
        Fx.waitUntil("the replay is applied", () -> viewModel.stateProperty().get() == DashboardState.COMMITTED);
        Fx.waitUntil("the charts show it", () -> view.drawnRevisionProperty().get() == viewModel.revisionProperty().get());
    }

    @Test
    void everyPartHasItsNodeId() {
        for (String id : new String[] {"#dashboard", "#dashboardStatus", "#vmTable", "#timelineChart", "#downtimeChart", "#tcpChart",
                "#eventLog", "#eventFilter"}) {
            verifyThat(id, isVisible());
        }
    }

    @Test
    void chartsHoldTheReplayedSnapshotsDataPoints() throws Exception {
        replay();
        int vms = Recorded.vms(RECORDED).size();
        int flows = RECORDED.result().tcp().flows().size();
        int retransmits = RECORDED.result().tcp().flows().stream().mapToInt(f -> f.retransmitAtMs().size()).sum();

        Fx.call(() -> {
            for (int series = 0; series < 3; series++) {
                assertEquals(vms, view.timelineBars().getItemCount(series), "timeline " + view.timelineBars().getSeriesKey(series));
            }
            assertEquals(Recorded.count(RECORDED, EventKind.STOP), view.timelineMarks().getItemCount(0));
            assertEquals(Recorded.count(RECORDED, EventKind.RESUME), view.timelineMarks().getItemCount(1));
            assertEquals(vms, view.downtimeBars().getColumnCount());
            for (int vm = 0; vm < vms; vm++) {
                assertNotNull(view.downtimeBars().getValue(0, vm), "downtime bar " + vm);
            }
            assertEquals(flows, view.tcpStalls().getItemCount(0));
            assertEquals(retransmits, view.tcpRetransmits().getItemCount(0));
            return null;
        });
    }

    @Test
    void chartPicturesShowHoldPauseAndCopyInThePalettesColours() throws Exception {
        replay();

        Set<Integer> timeline = Fx.call(() -> colours(lookup("#timelineChart").query()));
        for (java.awt.Color c : new java.awt.Color[] {Palette.HOLD, Palette.PAUSE, Palette.COPY}) {
            assertTrue(timeline.contains(c.getRGB() & 0xFFFFFF), "timeline shows #" + Integer.toHexString(c.getRGB() & 0xFFFFFF));
        }
        assertTrue(Fx.call(() -> colours(lookup("#downtimeChart").query())).contains(Palette.PAUSE.getRGB() & 0xFFFFFF), "downtime bars");
    }

    /** The RGB colours on screen where {@code node} is. */
    private static Set<Integer> colours(Node node) {
        WritableImage shot = node.snapshot(null, null);
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                seen.add(shot.getPixelReader().getArgb(x, y) & 0xFFFFFF);
            }
        }
        return seen;
    }

    /**
     * What a burst repaints has one flat fill each: with several fills (Modena's border-and-fill
     * pairs) the software renderer paints a region from a stretched 9-slice image, most of a
     * frame's painting in {@code hotsnap bench-ui}. A focused row keeps Modena's focus ring.
     */
    @Test
    void regionsABurstRepaintsHaveFlatBackgrounds() throws Exception {
        replay();

        List<String> layered = Fx.call(() -> {
            List<String> found = new ArrayList<>();
            for (String selector : List.of(".split-pane", "#vmTable", ".table-row-cell", ".column-header", ".column-header-background",
                    "#eventLog")) {
                for (Node node : lookup(selector).queryAll()) {
                    Background background = ((Region) node).getBackground();
                    if (node.getPseudoClassStates().contains(PseudoClass.getPseudoClass("focused")) || background == null) {
                        continue;
                    }
                    boolean flat = background.getFills().size() == 1 && background.getFills().get(0).getInsets().equals(Insets.EMPTY)
                            && background.getFills().get(0).getRadii().equals(CornerRadii.EMPTY);
                    if (!flat) {
                        found.add(selector + " " + node.getStyleClass());
                    }
                }
            }
            return found;
        });
        assertEquals(List.of(), layered);
    }

    @Test
    void chartSubtitlesWrapInsteadOfBeingCut() throws Exception {
        // As wide as the dashboard beside the console's inventory: the subtitles need two lines.
        Fx.call(() -> {
            view.getRoot().getScene().getWindow().setWidth(980);
            return null;
        });
        replay();

        for (Node node : lookup(".plot-subtitle").queryAll()) {
            Label subtitle = (Label) node;
            // The label's text node takes a new text at the next layout, not at once.
            Fx.waitUntil("the subtitle is laid out", () -> shown(subtitle).equals(subtitle.getText()) || shown(subtitle).endsWith("..."));
            assertEquals(Fx.call(subtitle::getText), Fx.call(() -> shown(subtitle)));
        }
    }

    /** The text a label shows: its own, or cut short with "...". */
    private static String shown(Label label) {
        return ((Text) label.lookup(".text")).getText();
    }

    @Test
    void draggingAcrossTheTimelineZoomsItsTimeAxisAndADoubleClickZoomsOut() throws Exception {
        replay();
        ChartImage timeline = lookup("#timelineChart").queryAs(ChartImage.class);
        ValueAxis time = ((XYPlot) timeline.getChart().getPlot()).getRangeAxis();
        Range all = Fx.call(time::getRange);
        Rectangle2D area = Fx.call(() -> timeline.plotInfo().getDataArea());
        double y = area.getCenterY();
        double from = area.getMinX() + area.getWidth() * 0.25;
        double to = area.getMinX() + area.getWidth() * 0.5;
        Range expected = new Range(all.getLowerBound() + all.getLength() * 0.25,
                all.getLowerBound() + all.getLength() * 0.5);

        moveTo(Fx.call(() -> timeline.localToScreen(from, y))).press(MouseButton.PRIMARY);
        moveTo(Fx.call(() -> timeline.localToScreen((from + to) / 2, y)));
        assertTrue(Fx.call(() -> timeline.lookup(".chart-zoom-selection").isVisible()), "the stretch is shown while dragging");
        moveTo(Fx.call(() -> timeline.localToScreen(to, y))).release(MouseButton.PRIMARY);

        Range zoomed = Fx.call(time::getRange);
        double pixel = all.getLength() / area.getWidth();
        assertEquals(expected.getLowerBound(), zoomed.getLowerBound(), 2 * pixel, "zoomed to " + zoomed + " of " + all);
        assertEquals(expected.getUpperBound(), zoomed.getUpperBound(), 2 * pixel, "zoomed to " + zoomed + " of " + all);
        assertTrue(!Fx.call(() -> timeline.lookup(".chart-zoom-selection").isVisible()), "the stretch is gone once dropped");

        doubleClickOn(Fx.call(() -> timeline.localToScreen(area.getCenterX(), y)), MouseButton.PRIMARY);
        assertEquals(all, Fx.call(time::getRange), "a double-click shows all again");
    }

    @Test
    void tableAndStatusShowTheCommittedSnapshot() throws Exception {
        replay();

        TableView<?> table = lookup("#vmTable").queryAs(TableView.class);
        assertEquals(Recorded.vms(RECORDED).size(), table.getItems().size());
        Label status = lookup("#dashboardStatus").queryAs(Label.class);
        assertTrue(status.getText().startsWith("Snapshot " + RECORDED.result().id() + " committed"), status.getText());
    }

    @Test
    void tableLogAndStatusChangeInTheFxTurnOfTheLastChart() throws Exception {
        // Whether every chart had drawn the batch right after the FX turn in which the log changed.
        List<Boolean> chartsDrawnWithLog = new CopyOnWriteArrayList<>();
        Fx.call(() -> {
            viewModel.eventLog().addListener((ListChangeListener<LogLine>) change -> Platform.runLater(
                    () -> chartsDrawnWithLog.add(view.drawnRevisionProperty().get() == viewModel.revisionProperty().get())));
            return null;
        });

        replay();

        assertEquals(List.of(true), chartsDrawnWithLog);
    }

    @Test
    void typingInTheFilterNarrowsTheEventLog() throws Exception {
        replay();
        ListView<?> log = lookup("#eventLog").queryAs(ListView.class);
        assertEquals(RECORDED.events().size(), log.getItems().size());

        clickOn("#eventFilter").write("RESUME");

        Fx.waitUntil("the log is filtered", () -> log.getItems().size() == Recorded.count(RECORDED, EventKind.RESUME));
    }
}
