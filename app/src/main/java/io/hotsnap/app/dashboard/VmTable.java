package io.hotsnap.app.dashboard;

import java.util.function.DoubleFunction;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.cell.ProgressBarTableCell;

/** The per-VM table: where each VM stands and how far its full copy is. Binds rows, no logic. */
final class VmTable {

    private VmTable() {
    }

    static TableView<VmRow> create(ObservableList<VmRow> rows) {
        TableView<VmRow> table = new TableView<>(rows);
        table.setId("vmTable");
        table.getStyleClass().add("vm-table");
        table.setPlaceholder(new Label("No VM has reported yet"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.getColumns().add(text("Host", 70, VmRow::host));
        table.getColumns().add(text("VM", 80, VmRow::vm));
        TableColumn<VmRow, String> state = new TableColumn<>("State");
        state.setCellValueFactory(c -> c.getValue().stateProperty());
        state.setMinWidth(190);
        table.getColumns().add(state);
        table.getColumns().add(number("Downtime ms", 100, VmRow::downtimeMsProperty, Units::ms));
        table.getColumns().add(number("Hold ms", 75, VmRow::holdMsProperty, Units::ms));
        TableColumn<VmRow, Double> progress = new TableColumn<>("Full copy");
        progress.setCellValueFactory(c -> c.getValue().progressProperty().asObject());
        progress.setCellFactory(ProgressBarTableCell.forTableColumn());
        progress.setMinWidth(110);
        table.getColumns().add(progress);
        table.getColumns().add(number("Copied", 90, VmRow::bytesProperty, Units::bytes));
        table.getColumns().add(number("Rate", 95, VmRow::bytesPerSecondProperty, Units::rate));
        table.getColumns().add(number("ETA", 75, VmRow::etaSecondsProperty, Units::eta));
        return table;
    }

    private static TableColumn<VmRow, String> text(String title, double minWidth, Function<VmRow, String> value) {
        TableColumn<VmRow, String> column = new TableColumn<>(title);
        column.setCellValueFactory(c -> new ReadOnlyStringWrapper(value.apply(c.getValue())));
        column.setMinWidth(minWidth);
        return column;
    }

    private static TableColumn<VmRow, Number> number(String title, double minWidth, Function<VmRow, ObservableValue<Number>> value,
                                                     DoubleFunction<String> format) {
        TableColumn<VmRow, Number> column = new TableColumn<>(title);
        column.setCellValueFactory(c -> value.apply(c.getValue()));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Number item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : format.apply(item.doubleValue()));
            }
        });
        column.setMinWidth(minWidth);
        column.getStyleClass().add("numeric");
        return column;
    }
}
