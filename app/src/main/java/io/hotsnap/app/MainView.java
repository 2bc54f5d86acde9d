package io.hotsnap.app;

import javafx.beans.binding.Bindings;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ToolBar;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The main window's node tree: toolbar on top, hosts-and-VMs tree on the left, the work area in
 * the centre, status bar at the bottom. Builds nodes and binds them to {@link MainViewModel};
 * holds no logic. Node ids (used by styles and tests) are the {@code *_ID} constants.
 */
public final class MainView {

    static final String TOOLBAR_ID = "toolbar";
    static final String HOST_TREE_ID = "hostTree";
    static final String HOST_TREE_PLACEHOLDER_ID = "hostTreePlaceholder";
    static final String CENTER_PLACEHOLDER_ID = "centerPlaceholder";
    static final String STATUS_TEXT_ID = "statusText";

    static final String HOST_TREE_PLACEHOLDER_TEXT = "No hosts yet — start the local lab";
    static final String CENTER_PLACEHOLDER_TEXT = "Select VMs and take a snapshot";

    private final BorderPane root = new BorderPane();

    public MainView(MainViewModel viewModel, Image appIcon) {
        root.getStyleClass().add("main-window");
        root.setTop(toolbar(appIcon));
        root.setLeft(hostsPane());
        root.setCenter(centerPane());
        root.setBottom(statusBar(viewModel));
    }

    public Parent getRoot() {
        return root;
    }

    private static ToolBar toolbar(Image appIcon) {
        ImageView icon = new ImageView(appIcon);
        icon.setFitWidth(24);
        icon.setFitHeight(24);
        icon.setPreserveRatio(true);
        icon.setSmooth(true);
        Label name = new Label(HotsnapConsole.TITLE, icon);
        name.getStyleClass().add("app-name");
        ToolBar toolbar = new ToolBar(name);
        toolbar.setId(TOOLBAR_ID);
        return toolbar;
    }

    private static VBox hostsPane() {
        Label title = new Label("Hosts and VMs");
        title.getStyleClass().add("pane-title");

        TreeItem<String> invisibleRoot = new TreeItem<>("hosts");
        TreeView<String> tree = new TreeView<>(invisibleRoot);
        tree.setId(HOST_TREE_ID);
        tree.setShowRoot(false);

        // TreeView has no placeholder of its own (unlike ListView): overlay a label while empty.
        Label placeholder = new Label(HOST_TREE_PLACEHOLDER_TEXT);
        placeholder.setId(HOST_TREE_PLACEHOLDER_ID);
        placeholder.getStyleClass().add("placeholder");
        placeholder.setWrapText(true);
        placeholder.setMouseTransparent(true);
        placeholder.visibleProperty().bind(Bindings.isEmpty(invisibleRoot.getChildren()));

        StackPane treeArea = new StackPane(tree, placeholder);
        VBox.setVgrow(treeArea, Priority.ALWAYS);

        VBox pane = new VBox(title, treeArea);
        pane.getStyleClass().add("hosts-pane");
        return pane;
    }

    private static StackPane centerPane() {
        Label placeholder = new Label(CENTER_PLACEHOLDER_TEXT);
        placeholder.setId(CENTER_PLACEHOLDER_ID);
        placeholder.getStyleClass().add("placeholder");
        StackPane center = new StackPane(placeholder);
        center.getStyleClass().add("work-area");
        return center;
    }

    private static HBox statusBar(MainViewModel viewModel) {
        Label status = new Label();
        status.setId(STATUS_TEXT_ID);
        status.textProperty().bind(viewModel.statusTextProperty());
        HBox bar = new HBox(status);
        bar.getStyleClass().add("status-bar");
        return bar;
    }
}
