package io.hotsnap.app.doctor;

import io.hotsnap.protocol.HostCheck;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * "Check host…": one host's check lines (status, check, modes, what was found, the fix), bound to
 * {@link HostCheckViewModel}; decides nothing. Node ids (styles, tests) are the {@code *_ID} constants.
 */
public final class HostCheckDialog extends Dialog<Void> {

    public static final String LINES_ID = "hostCheckLines";
    public static final String SUMMARY_ID = "hostCheckSummary";
    public static final String AGAIN_ID = "hostCheckAgain";

    public HostCheckDialog(HostCheckViewModel model) {
        setTitle("Check host " + model.host());
        setHeaderText("What " + model.host() + " lacks for each snapshot mode, each line with its fix");
        setResizable(true);
        getDialogPane().getStyleClass().add("host-check");

        TableView<HostCheck> table = new TableView<>(model.lines());
        table.setId(LINES_ID);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No lines yet"));
        TableColumn<HostCheck, String> status = column("", c -> c.status().wireName(), 50);
        status.setCellFactory(col -> new StatusCell());
        table.getColumns().setAll(List.of(status, column("Check", HostCheck::check, 170), column("Modes", HostCheckViewModel::modes, 150),
                column("Found", HostCheck::detail, 420), column("Fix", HostCheck::fix, 300)));
        table.setPrefSize(1100, 380);

        ProgressIndicator running = new ProgressIndicator();
        running.setPrefSize(18, 18);
        running.visibleProperty().bind(model.runningProperty());
        running.managedProperty().bind(running.visibleProperty());
        Label summary = new Label();
        summary.setId(SUMMARY_ID);
        summary.setWrapText(true);
        summary.textProperty().bind(model.summaryProperty());
        Button again = new Button("Check again");
        again.setId(AGAIN_ID);
        again.disableProperty().bind(model.runningProperty());
        again.setOnAction(e -> model.run());
        VBox.setVgrow(table, Priority.ALWAYS);
        getDialogPane().setContent(new VBox(8, table, new HBox(8, running, summary), again));
        getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);
    }

    private static TableColumn<HostCheck, String> column(String title, Function<HostCheck, String> value, double width) {
        TableColumn<HostCheck, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** ok green, warn amber, fail red: the colours the restore checklist uses. */
    private static final class StatusCell extends TableCell<HostCheck, String> {
        @Override
        protected void updateItem(String status, boolean empty) {
            super.updateItem(status, empty);
            setText(empty ? null : status);
            getStyleClass().removeAll("check-ok", "check-warn", "check-red");
            if (!empty && status != null) {
                getStyleClass().add(switch (status) {
                    case "ok" -> "check-ok";
                    case "warn" -> "check-warn";
                    default -> "check-red";
                });
            }
        }
    }
}
