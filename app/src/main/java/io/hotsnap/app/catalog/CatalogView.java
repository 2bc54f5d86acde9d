package io.hotsnap.app.catalog;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;

/**
 * The snapshot catalog as a table; opening a row (double click or "Open") replays its dashboard;
 * "Restore…" brings it back; "Export report…" writes the selected snapshot's report (several
 * selected: a comparison).
 */
public final class CatalogView {

    public static final String TABLE_ID = "catalogTable";
    public static final String OPEN_ID = "catalogOpen";
    public static final String REFRESH_ID = "catalogRefresh";
    public static final String EXPORT_ID = "catalogExport";
    public static final String EXPORT_STATUS_ID = "catalogExportStatus";
    public static final String RESTORE_ID = "catalogRestore";

    private final BorderPane root = new BorderPane();

    /**
     * @param restore opens the restore wizard on the chosen snapshot
     * @param chooser asks where to export to and in which format ({@link ExportChooser#fileChooser} in the console)
     */
    public CatalogView(CatalogViewModel model, Consumer<CatalogRow> open, Consumer<CatalogRow> restore, ExportChooser chooser) {
        TableView<CatalogRow> table = new TableView<>(model.rows());
        table.setId(TABLE_ID);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No committed snapshots on the connected hosts"));
        table.getColumns().add(column("Time", CatalogRow::time, 130));
        table.getColumns().add(column("VMs", CatalogRow::vms, 120));
        table.getColumns().add(column("Hosts", CatalogRow::hosts, 65));
        table.getColumns().add(column("Mode", CatalogRow::mode, 55));
        table.getColumns().add(column("Status", CatalogRow::status, 85));
        table.getColumns().add(column("Max downtime", r -> ms(r.maxDowntimeMs()), 118));
        table.getColumns().add(column("Skew", r -> ms(r.skewMs()), 70));
        table.getColumns().add(column("TCP stall", r -> ms(r.tcpStallMs()), 75));
        table.getColumns().add(column("Size", r -> String.format("%.1f MiB", r.bytes() / 1048576.0), 80));
        table.getColumns().add(column("ID", CatalogRow::id, 167));
        table.setRowFactory(t -> {
            TableRow<CatalogRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    open.accept(row.getItem());
                }
            });
            return row;
        });

        Button openButton = new Button("Open");
        openButton.setId(OPEN_ID);
        openButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        openButton.setOnAction(e -> open.accept(table.getSelectionModel().getSelectedItem()));
        Button refresh = new Button("Refresh");
        refresh.setId(REFRESH_ID);
        refresh.setOnAction(e -> model.refresh());
        Button restoreButton = new Button("Restore…");
        restoreButton.setId(RESTORE_ID);
        restoreButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        restoreButton.setOnAction(e -> restore.accept(table.getSelectionModel().getSelectedItem()));
        Button export = new Button("Export report…");
        export.setId(EXPORT_ID);
        export.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        export.setOnAction(e -> {
            List<CatalogRow> selected = List.copyOf(table.getSelectionModel().getSelectedItems());
            String name = selected.size() == 1 ? "hotsnap-" + selected.get(0).id() : "hotsnap-comparison-" + selected.size();
            chooser.choose(root.getScene().getWindow(), name).ifPresent(target -> model.export(selected, target));
        });
        Label status = new Label();
        status.setId(EXPORT_STATUS_ID);
        status.textProperty().bind(model.exportStatusProperty());
        root.setTop(new ToolBar(openButton, restoreButton, export, refresh, status));
        root.setCenter(table);
    }

    public Node getRoot() {
        return root;
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "—" : String.format("%.1f ms", v);
    }

    private static TableColumn<CatalogRow, String> column(String title, Function<CatalogRow, String> value, double width) {
        TableColumn<CatalogRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
