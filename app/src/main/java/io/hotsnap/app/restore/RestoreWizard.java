package io.hotsnap.app.restore;

import io.hotsnap.app.catalog.CatalogRow;
import io.hotsnap.app.restore.RestoreWizardViewModel.Outcome;
import io.hotsnap.app.restore.RestoreWizardViewModel.Step;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The restore wizard: five pages in one dialog, bound to {@link RestoreWizardViewModel}; decides
 * nothing. Not ControlsFX's {@code Wizard}: its Finish closes the dialog, while the last page must
 * stay open to show the restore's live progress and result after the action has started, and it
 * rebuilds the button bar per page (a button's id and disable binding would be lost on each page).
 * Node ids (styles, tests) are the {@code *_ID} constants; a VM's controls end in its name.
 */
public final class RestoreWizard extends Dialog<Void> {

    public static final String SNAPSHOTS_ID = "restoreSnapshots";
    public static final String SUMMARY_ID = "restoreSummary";
    public static final String VM_ID = "restoreVm-";
    public static final String CLONE_ID = "restoreAsClone-";
    public static final String CLONE_NAME_ID = "restoreCloneName-";
    /** A libvirt domain's clone: kept defined by libvirt, or transient. */
    public static final String PERSISTENT_ID = "restorePersistent-";
    public static final String VMS_PROBLEM_ID = "restoreVmsProblem";
    public static final String CHECKLIST_ID = "restoreChecklist";
    public static final String PREFLIGHT_SUMMARY_ID = "restorePreflightSummary";
    public static final String CONFIRMATION_ID = "restoreConfirmation";
    public static final String PROGRESS_ID = "restoreProgress";
    public static final String RESULT_ID = "restoreResult";
    public static final String BACK_ID = "restoreBack";
    public static final String NEXT_ID = "restoreNext";
    public static final String CANCEL_ID = "restoreCancel";

    private static final ButtonType BACK = new ButtonType("< Back", ButtonBar.ButtonData.BACK_PREVIOUS);
    private static final ButtonType NEXT = new ButtonType("Next >", ButtonBar.ButtonData.NEXT_FORWARD);
    private static final List<String> TITLES = List.of("1 of 5 · Choose a committed snapshot", "2 of 5 · Choose the VMs and how to bring each back",
            "3 of 5 · Preflight: everything must be green", "4 of 5 · Confirm", "5 of 5 · Restoring");

    private static final double WRAP_WIDTH = 600;

    private final RestoreWizardViewModel model;

    public RestoreWizard(RestoreWizardViewModel model) {
        this.model = model;
        setTitle("Restore a snapshot");
        setResizable(true);
        getDialogPane().setId("restoreWizard");
        getDialogPane().getStyleClass().add("restore-wizard");
        StackPane page = new StackPane();
        page.setPrefSize(860, 420);
        List<Node> pages = List.of(snapshotPage(), vmsPage(), preflightPage(), confirmPage(), progressPage());
        page.getChildren().setAll(pages.get(0));
        headerTextProperty().bind(Bindings.createStringBinding(() -> switch (model.restoreProperty().get()) {
            case DONE -> "5 of 5 · Restored";
            case FAILED -> "5 of 5 · Restore failed";
            default -> TITLES.get(model.stepProperty().get().ordinal());
        }, model.stepProperty(), model.restoreProperty()));
        model.stepProperty().addListener((o, old, s) -> {
            page.getChildren().setAll(pages.get(s.ordinal()));
            // The window was sized for the first page; a wider page would push the buttons out of sight.
            if (getDialogPane().getScene() != null) {
                getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
        getDialogPane().setContent(page);

        getDialogPane().getButtonTypes().setAll(BACK, NEXT, ButtonType.CANCEL);
        Button back = (Button) getDialogPane().lookupButton(BACK);
        Button next = (Button) getDialogPane().lookupButton(NEXT);
        Button cancel = (Button) getDialogPane().lookupButton(ButtonType.CANCEL);
        back.setId(BACK_ID);
        next.setId(NEXT_ID);
        cancel.setId(CANCEL_ID);
        back.disableProperty().bind(model.canGoBack().not());
        next.disableProperty().bind(model.canGoNext().not());
        next.textProperty().bind(Bindings.createStringBinding(() -> model.stepProperty().get() == Step.CONFIRM ? "Restore" : "Next >",
                model.stepProperty()));
        ObservableValue<Boolean> finalPage = model.stepProperty().isEqualTo(Step.PROGRESS);
        back.visibleProperty().bind(model.stepProperty().isNotEqualTo(Step.PROGRESS));
        next.visibleProperty().bind(model.stepProperty().isNotEqualTo(Step.PROGRESS));
        cancel.textProperty().bind(Bindings.createStringBinding(() -> Boolean.TRUE.equals(finalPage.getValue()) ? "Close" : "Cancel",
                finalPage));
        cancel.disableProperty().bind(model.restoreProperty().isEqualTo(Outcome.RUNNING));
        // Back and Next turn pages; only Cancel/Close ends the dialog.
        back.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            model.back();
        });
        next.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            model.next();
        });
        setOnCloseRequest(e -> {
            if (!model.canClose()) {
                e.consume();
            }
        });
    }

    private Node snapshotPage() {
        TableView<CatalogRow> table = new TableView<>(model.snapshots());
        table.setId(SNAPSHOTS_ID);
        table.setPlaceholder(new Label("No committed snapshots on the connected hosts"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(column("Time", CatalogRow::time, 130), column("VMs", CatalogRow::vms, 160),
                column("Hosts", CatalogRow::hosts, 90), column("Mode", CatalogRow::mode, 70), column("ID", CatalogRow::id, 190)));
        if (model.snapshotProperty().get() != null) {
            table.getSelectionModel().select(model.snapshotProperty().get());
        }
        table.getSelectionModel().selectedItemProperty().addListener((o, old, row) -> model.snapshotProperty().set(row));
        Label summary = wrapping(new Label());
        summary.setId(SUMMARY_ID);
        summary.textProperty().bind(Bindings.createStringBinding(() -> summary(model.snapshotProperty().get()), model.snapshotProperty()));
        VBox.setVgrow(table, Priority.ALWAYS);
        return page(table, summary);
    }

    private static String summary(CatalogRow row) {
        if (row == null) {
            return "Choose the snapshot to go back to.";
        }
        StringBuilder s = new StringBuilder("Snapshot " + row.id() + ", taken " + row.time() + " (" + row.mode() + " cut on " + row.hosts()
                + "), " + row.status() + ":");
        row.manifest().vms().forEach(p -> s.append(String.format("%n  %s: %.0f MiB of memory, %d disk%s, QEMU %s, on %s", p.name(),
                p.memoryBytesOfGuest() / 1048576.0, p.disks().size(), p.disks().size() == 1 ? "" : "s", p.qemuVersion(),
                row.vmHosts().getOrDefault(p.name(), "no connected host"))));
        return s.toString();
    }

    private Node vmsPage() {
        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(8);
        Runnable fill = () -> {
            grid.getChildren().clear();
            grid.addRow(0, bold("VM"), bold("Host"), bold("How"), bold("Clone's name"));
            int r = 1;
            for (VmChoice c : model.vms()) {
                CheckBox vm = new CheckBox(c.vm());
                vm.setId(VM_ID + c.vm());
                vm.selectedProperty().bindBidirectional(c.selected());
                CheckBox clone = new CheckBox("as clone");
                clone.setId(CLONE_ID + c.vm());
                clone.selectedProperty().bindBidirectional(c.asClone());
                clone.disableProperty().bind(c.selected().not());
                TextField name = new TextField();
                name.setId(CLONE_NAME_ID + c.vm());
                name.textProperty().bindBidirectional(c.cloneName());
                name.disableProperty().bind(c.selected().not().or(c.asClone().not()));
                CheckBox persistent = new CheckBox("persistent");
                persistent.setId(PERSISTENT_ID + c.vm());
                persistent.selectedProperty().bindBidirectional(c.persistent());
                persistent.setVisible(c.libvirt());
                persistent.disableProperty().bind(c.selected().not().or(c.asClone().not()));
                Label inPlace = new Label("in place: current state discarded");
                inPlace.getStyleClass().add("loses-state");
                inPlace.visibleProperty().bind(c.selected().and(c.asClone().not()));
                grid.addRow(r++, vm, new Label(c.host() == null ? "—" : c.host()), clone, new HBox(10, name, persistent, inPlace));
            }
            grid.getChildren().forEach(n -> {
                if (n instanceof Region region) {
                    region.setMinWidth(Region.USE_PREF_SIZE);
                }
            });
        };
        model.vms().addListener((javafx.collections.ListChangeListener<VmChoice>) ch -> {
            if (ch.next() && (ch.wasAdded() || ch.wasRemoved())) {
                fill.run();
            }
        });
        fill.run();
        Label problem = wrapping(new Label());
        problem.setId(VMS_PROBLEM_ID);
        problem.getStyleClass().add("check-red");
        problem.textProperty().bind(model.vmsProblemProperty());
        Label how = wrapping(new Label("A clone starts beside the original, which keeps running; its network card is on a tap of its "
                + "own, joined to no network. Untick \"as clone\" to restore a VM in place: the VM running now is shut down and "
                + "replaced by the snapshot's. A clone of a libvirt domain is transient unless \"persistent\" is ticked; a persistent "
                + "domain restored in place keeps its definition, which then names the restored disks."));
        return page(grid, problem, how);
    }

    private Node preflightPage() {
        TableView<CheckRow> table = new TableView<>(model.checks());
        table.setId(CHECKLIST_ID);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<CheckRow, String> ok = column("", c -> c.ok() ? "✔" : "✘", 34);
        ok.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String mark, boolean empty) {
                super.updateItem(mark, empty);
                setText(empty ? null : mark);
                getStyleClass().removeAll("check-ok", "check-red");
                if (!empty) {
                    getStyleClass().add("✔".equals(mark) ? "check-ok" : "check-red");
                }
            }
        });
        table.getColumns().setAll(List.of(ok, column("Host", CheckRow::host, 70), column("VM", CheckRow::vm, 80),
                column("Check", CheckRow::check, 140), column("Detail", CheckRow::detail, 480)));
        ProgressIndicator running = new ProgressIndicator();
        running.setPrefSize(18, 18);
        running.visibleProperty().bind(model.preflightProperty().isEqualTo(Outcome.RUNNING));
        running.managedProperty().bind(running.visibleProperty());
        Label summary = wrapping(new Label());
        summary.setId(PREFLIGHT_SUMMARY_ID);
        summary.textProperty().bind(model.preflightSummaryProperty());
        summary.styleProperty().bind(Bindings.createStringBinding(() -> model.canGoNext().get() ? "" : "-fx-text-fill: #b3261e;",
                model.canGoNext()));
        Button again = new Button("Check again");
        again.setId("restorePreflightAgain");
        again.disableProperty().bind(model.preflightProperty().isEqualTo(Outcome.RUNNING));
        again.setOnAction(e -> model.runPreflight());
        VBox.setVgrow(table, Priority.ALWAYS);
        return page(table, new HBox(8, running, summary), again);
    }

    private Node confirmPage() {
        Label text = wrapping(new Label());
        text.setId(CONFIRMATION_ID);
        text.getStyleClass().add("confirmation");
        text.textProperty().bind(model.confirmationProperty());
        return page(text);
    }

    private Node progressPage() {
        TableView<VmProgress> table = new TableView<>(model.progress());
        table.setId(PROGRESS_ID);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<VmProgress, String> load = boundColumn("Memory loaded in", VmProgress::loadMs, 140);
        load.setMinWidth(140);
        table.getColumns().setAll(List.of(column("Host", VmProgress::host, 70), column("From", VmProgress::from, 90),
                column("Runs as", VmProgress::as, 110), load, boundColumn("Step", VmProgress::phase, 190),
                boundColumn("TCP after resume", VmProgress::tcp, 260)));
        Label result = wrapping(new Label());
        result.setId(RESULT_ID);
        result.textProperty().bind(model.restoreSummaryProperty());
        ProgressIndicator running = new ProgressIndicator();
        running.setPrefSize(18, 18);
        running.visibleProperty().bind(model.restoreProperty().isEqualTo(Outcome.RUNNING));
        running.managedProperty().bind(running.visibleProperty());
        VBox.setVgrow(table, Priority.ALWAYS);
        return page(table, new HBox(8, running, result));
    }

    /** Wrapped over as many lines as it needs: a table beside it must not squeeze it to one line and "…". */
    private static Label wrapping(Label label) {
        label.setWrapText(true);
        // Its one-line width as preferred width would widen the dialog past its buttons: the page's width decides.
        label.setPrefWidth(WRAP_WIDTH);
        label.setMinHeight(Region.USE_PREF_SIZE);
        label.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(label, Priority.ALWAYS);
        return label;
    }

    private static VBox page(Node... nodes) {
        VBox box = new VBox(12, nodes);
        box.setPadding(new Insets(4, 0, 0, 0));
        return box;
    }

    private static Label bold(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private static <R> TableColumn<R, String> column(String title, Function<R, String> value, double width) {
        return boundColumn(title, r -> new ReadOnlyObjectWrapper<>(value.apply(r)), width);
    }

    /** A column of text that changes as its row's property does. */
    private static <R> TableColumn<R, String> boundColumn(String title, Function<R, ObservableValue<String>> value, double width) {
        TableColumn<R, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> value.apply(cell.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
                // A long detail (a path) ends in '…' at the page's width: the whole of it on hover.
                setTooltip(empty || text == null || text.isEmpty() ? null : new Tooltip(text));
            }
        });
        c.setPrefWidth(width);
        return c;
    }
}
