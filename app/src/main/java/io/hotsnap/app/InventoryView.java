package io.hotsnap.app;

import io.hotsnap.app.doctor.HostCheckDialog;
import io.hotsnap.app.doctor.HostCheckViewModel;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBoxTreeItem;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.cell.CheckBoxTreeCell;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckTreeView;

/**
 * The hosts-and-VMs tree with check boxes: one item per host (ticking it ticks its VMs), one per
 * VM with its state, memory, disks, NICs and, for an ineligible VM, why. Rebuilt from the
 * view-model whenever a host's VM list changes; ticks live in the view-model.
 */
final class InventoryView {

    static final String HOST_TREE_ID = "hostTree";
    static final String PLACEHOLDER_ID = "hostTreePlaceholder";
    static final String PLACEHOLDER_LAB_BUTTON_ID = "placeholderStartLab";
    static final String DETACH_TEXT = "Detach from snapshot";
    static final String CHECK_HOST_TEXT = "Check host…";
    static final String PLACEHOLDER_TEXT = "No VMs yet — start the local lab";

    private final InventoryViewModel model;
    private final CheckBoxTreeItem<Object> root = new CheckBoxTreeItem<>("hosts");
    private final VBox pane;

    InventoryView(InventoryViewModel model, MainViewModel main) {
        this.model = model;
        CheckTreeView<Object> tree = new CheckTreeView<>(root);
        tree.setId(HOST_TREE_ID);
        tree.setShowRoot(false);
        tree.setCellFactory(t -> new EntryCell(main));

        // TreeView has no placeholder of its own: overlay one while there is no VM anywhere.
        Label text = new Label(PLACEHOLDER_TEXT);
        text.setWrapText(true);
        Button startLab = new Button("Start local lab");
        startLab.setId(PLACEHOLDER_LAB_BUTTON_ID);
        startLab.setOnAction(e -> main.startLab());
        startLab.disableProperty().bind(main.busyProperty().or(main.labUpProperty()));
        VBox placeholder = new VBox(8, text, startLab);
        placeholder.setId(PLACEHOLDER_ID);
        placeholder.getStyleClass().add("placeholder");
        placeholder.setPickOnBounds(false);
        placeholder.visibleProperty().bind(Bindings.equal(0, model.vmCountProperty()));

        StackPane treeArea = new StackPane(tree, placeholder);
        VBox.setVgrow(treeArea, Priority.ALWAYS);
        Label title = new Label("Hosts and VMs");
        title.getStyleClass().add("pane-title");
        pane = new VBox(title, treeArea);
        pane.getStyleClass().add("hosts-pane");

        model.hosts().addListener((ListChangeListener<HostEntry>) c -> rebuild());
        rebuild();
    }

    Node getRoot() {
        return pane;
    }

    private void rebuild() {
        root.getChildren().setAll(model.hosts().stream().map(this::hostItem).toList());
    }

    private TreeItem<Object> hostItem(HostEntry host) {
        CheckBoxTreeItem<Object> item = new CheckBoxTreeItem<>(host);
        item.setExpanded(true);
        Runnable fill = () -> item.getChildren().setAll(host.vms().stream().map(InventoryView::vmItem).toList());
        host.vms().addListener((ListChangeListener<VmEntry>) c -> fill.run());
        fill.run();
        return item;
    }

    private static TreeItem<Object> vmItem(VmEntry vm) {
        CheckBoxTreeItem<Object> item = new CheckBoxTreeItem<>(vm, null, vm.isSelected());
        item.selectedProperty().bindBidirectional(vm.selectedProperty());
        return item;
    }

    /** Opens the host's check over the tree's window and starts it; the lines fill in as the agent answers. */
    static void showCheck(HostCheckViewModel check, Scene tree) {
        HostCheckDialog dialog = new HostCheckDialog(check);
        dialog.initOwner(tree.getWindow());
        dialog.getDialogPane().getStylesheets().setAll(tree.getStylesheets());
        dialog.show();
        check.run();
    }

    /** Host: name and connection state. VM: name, details, and a warning when it is not eligible. */
    private static final class EntryCell extends CheckBoxTreeCell<Object> {
        private final MainViewModel main;

        EntryCell(MainViewModel main) {
            this.main = main;
        }

        @Override
        public void updateItem(Object item, boolean empty) {
            textProperty().unbind(); // a reused host cell had its text bound
            super.updateItem(item, empty);
            getStyleClass().removeAll("host-item", "vm-item", "ineligible");
            setTooltip(null);
            setContextMenu(null);
            if (empty || item == null) {
                return;
            }
            if (item instanceof HostEntry host) {
                getStyleClass().add("host-item");
                textProperty().bind(Bindings.concat(host.name(), "  —  ", host.statusProperty()));
                MenuItem check = new MenuItem(CHECK_HOST_TEXT);
                check.setOnAction(e -> showCheck(main.checkHost(host), getScene()));
                setContextMenu(new ContextMenu(check));
            } else if (item instanceof VmEntry vm) {
                getStyleClass().add("vm-item");
                MenuItem detach = new MenuItem(DETACH_TEXT);
                detach.setOnAction(e -> main.detach(vm));
                detach.disableProperty().bind(main.busyProperty());
                setContextMenu(new ContextMenu(detach));
                setText(vm.label() + (vm.eligible() ? "" : "  ⚠") + "\n" + vm.details());
                if (!vm.eligible()) {
                    getStyleClass().add("ineligible");
                    setTooltip(new Tooltip(String.join("\n", vm.problems())));
                } else {
                    setTooltip(new Tooltip("Eligible for a hot snapshot\nQMP " + vm.info().qmp()));
                }
            }
        }
    }
}
