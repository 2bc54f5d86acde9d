package io.hotsnap.app;

import io.hotsnap.app.catalog.CatalogRow;
import io.hotsnap.app.catalog.CatalogView;
import io.hotsnap.app.catalog.ExportChooser;
import io.hotsnap.app.dashboard.DashboardView;
import io.hotsnap.app.dashboard.DashboardViewModel;
import io.hotsnap.app.restore.RestoreWizard;
import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.snapshot.DiskMode;
import java.util.List;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToolBar;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/**
 * The main window's node tree: toolbar on top, the inventory on the left, the dashboard and the
 * catalog as tabs in the centre, status bar at the bottom. Builds nodes, binds them to
 * {@link MainViewModel} and opens its dialogs; decides nothing. Node ids (used by styles and
 * tests) are the {@code *_ID} constants.
 */
public final class MainView {

    static final String TOOLBAR_ID = "toolbar";
    static final String START_LAB_ID = "startLabButton";
    static final String STOP_LAB_ID = "stopLabButton";
    static final String ADD_HOST_ID = "addHostButton";
    static final String REFRESH_ID = "refreshButton";
    static final String SNAPSHOT_ID = "snapshotButton";
    static final String CANCEL_ID = "cancelButton";
    static final String RESTORE_ID = "restoreButton";
    static final String TABS_ID = "workTabs";
    static final String DASHBOARD_AREA_ID = "dashboardArea";
    static final String CENTER_PLACEHOLDER_ID = "centerPlaceholder";
    static final String STATUS_TEXT_ID = "statusText";
    static final String CENTER_PLACEHOLDER_TEXT = "Tick VMs in the tree and take a snapshot (Ctrl+S)";

    private final MainViewModel model;
    private final BorderPane root = new BorderPane();
    private final TabPane tabs = new TabPane();
    private final StackPane dashboardArea = new StackPane();
    private SnapshotRequest lastRequest = new SnapshotRequest(ClusterMode.AUTO, DiskMode.COPY, "");

    public MainView(MainViewModel model, Image appIcon) {
        this.model = model;
        root.getStyleClass().add("main-window");
        root.setTop(toolbar(appIcon));
        root.setLeft(new InventoryView(model.inventory(), model).getRoot());
        root.setCenter(center());
        root.setBottom(statusBar());
        model.errorProperty().addListener((o, old, message) -> {
            if (message != null) {
                showError(message);
            }
        });
    }

    public Parent getRoot() {
        return root;
    }

    /** Ctrl+S takes a snapshot, as the toolbar button does. */
    void installAccelerators(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), this::snapshot);
    }

    private ToolBar toolbar(Image appIcon) {
        ImageView icon = new ImageView(appIcon);
        icon.setFitWidth(24);
        icon.setFitHeight(24);
        icon.setPreserveRatio(true);
        icon.setSmooth(true);
        Label name = new Label(HotsnapConsole.TITLE, icon);
        name.getStyleClass().add("app-name");

        Button startLab = button(START_LAB_ID, "Start local lab", model::startLab);
        startLab.disableProperty().bind(model.busyProperty().or(model.labUpProperty()));
        Button stopLab = button(STOP_LAB_ID, "Stop local lab", model::stopLab);
        stopLab.disableProperty().bind(model.busyProperty().or(model.labUpProperty().not()).or(model.snapshotRunningProperty()));
        Button addHost = button(ADD_HOST_ID, "Add host…", () -> new AddHostDialog().showAndWait().ifPresent(model::addHost));
        Button refresh = button(REFRESH_ID, "Refresh", () -> {
            model.inventory().refreshAll();
            model.catalog().refresh();
        });
        Button snapshot = button(SNAPSHOT_ID, "Snapshot…", this::snapshot);
        snapshot.getStyleClass().add("primary");
        snapshot.disableProperty().bind(model.snapshotRunningProperty());
        Button restore = button(RESTORE_ID, "Restore…", () -> restore(null));
        restore.disableProperty().bind(model.snapshotRunningProperty());
        Button cancel = button(CANCEL_ID, "Cancel snapshot", model::cancelSnapshot);
        cancel.visibleProperty().bind(model.snapshotRunningProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar toolbar = new ToolBar(name, new Separator(), startLab, stopLab, addHost, refresh, spacer, cancel, restore, snapshot);
        toolbar.setId(TOOLBAR_ID);
        return toolbar;
    }

    private TabPane center() {
        Label placeholder = new Label(CENTER_PLACEHOLDER_TEXT);
        placeholder.setId(CENTER_PLACEHOLDER_ID);
        placeholder.getStyleClass().add("placeholder");
        dashboardArea.setId(DASHBOARD_AREA_ID);
        dashboardArea.getStyleClass().add("work-area");
        dashboardArea.getChildren().setAll(placeholder);
        model.dashboardProperty().addListener((o, old, d) -> show(d));

        Tab dashboard = new Tab("Dashboard", dashboardArea);
        dashboard.setId("dashboardTab");
        CatalogView catalogView = new CatalogView(model.catalog(), this::open, this::restore, ExportChooser::fileChooser);
        Tab catalog = new Tab("Snapshots", catalogView.getRoot());
        catalog.setId("catalogTab");
        catalog.setOnSelectionChanged(e -> {
            if (catalog.isSelected()) {
                model.catalog().refresh();
            }
        });
        tabs.setId(TABS_ID);
        tabs.getTabs().setAll(dashboard, catalog);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        return tabs;
    }

    private void show(DashboardViewModel d) {
        if (d != null) {
            dashboardArea.getChildren().setAll(new DashboardView(d).getRoot());
            tabs.getSelectionModel().select(0);
        }
    }

    private void open(CatalogRow row) {
        DashboardViewModel replay = model.catalog().open(row);
        if (replay != null) {
            model.showDashboard(replay);
        }
    }

    /** The restore wizard, on {@code selected} (null: the administrator picks on its first page). */
    private void restore(CatalogRow selected) {
        if (selected == null) {
            model.catalog().refresh();
        }
        RestoreWizard wizard = new RestoreWizard(model.restoreWizard(selected));
        wizard.initOwner(root.getScene().getWindow());
        wizard.getDialogPane().getStylesheets().setAll(root.getScene().getStylesheets());
        wizard.show();
    }

    private void snapshot() {
        String refused = model.cannotSnapshot();
        if (refused != null) {
            showError(refused);
            return;
        }
        List<VmEntry> vms = model.inventory().selected();
        SnapshotDialog dialog = new SnapshotDialog(vms, lastRequest);
        dialog.initOwner(root.getScene().getWindow());
        dialog.showAndWait().ifPresent(request -> {
            lastRequest = request;
            model.takeSnapshot(request);
        });
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId(STATUS_TEXT_ID);
        status.textProperty().bind(model.statusTextProperty());
        ProgressIndicator working = new ProgressIndicator();
        working.setPrefSize(16, 16);
        working.visibleProperty().bind(model.busyProperty().or(model.snapshotRunningProperty()));
        working.managedProperty().bind(working.visibleProperty());
        HBox bar = new HBox(8, working, status);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private void showError(String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR, message);
        alert.setTitle("HotSnap Console");
        alert.setHeaderText(null);
        if (root.getScene() != null) {
            alert.initOwner(root.getScene().getWindow());
        }
        alert.show();
    }

    private static Button button(String id, String text, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }
}
