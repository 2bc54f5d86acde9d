package io.hotsnap.app;

import io.hotsnap.protocol.ClusterMode;
import io.hotsnap.snapshot.DiskMode;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * Options of a cluster snapshot (mode, disks, store) with, below them, the confirmation naming
 * every VM and what the chosen mode will do to it, updated as the options change.
 */
final class SnapshotDialog extends Dialog<SnapshotRequest> {

    static final String MODE_ID = "snapshotMode";
    static final String DISK_ID = "snapshotDisk";
    static final String STORE_ID = "snapshotStore";
    static final String CONFIRMATION_ID = "snapshotConfirmation";
    static final ButtonType TAKE = new ButtonType("Take snapshot", ButtonBar.ButtonData.OK_DONE);

    SnapshotDialog(List<VmEntry> vms, SnapshotRequest initial) {
        setTitle("Cluster snapshot");
        setHeaderText("Snapshot " + vms.size() + " VM" + (vms.size() == 1 ? "" : "s"));
        ChoiceBox<ClusterMode> mode = new ChoiceBox<>(FXCollections.observableArrayList(ClusterMode.values()));
        mode.setId(MODE_ID);
        mode.setConverter(names(ClusterMode::cliName));
        mode.setValue(initial.mode());
        ChoiceBox<DiskMode> disk = new ChoiceBox<>(FXCollections.observableArrayList(DiskMode.values()));
        disk.setId(DISK_ID);
        disk.setConverter(names(DiskMode::cliName));
        disk.setValue(initial.diskMode());
        TextField store = new TextField(initial.store() == null ? "" : initial.store());
        store.setId(STORE_ID);
        store.setPromptText("each host's default store");
        store.setPrefColumnCount(28);

        GridPane options = new GridPane();
        options.setHgap(10);
        options.setVgap(8);
        options.addRow(0, new Label("Mode"), mode);
        options.addRow(1, new Label("Disks"), disk);
        options.addRow(2, new Label("Store"), store);

        Label confirmation = new Label();
        confirmation.setId(CONFIRMATION_ID);
        confirmation.setWrapText(true);
        confirmation.setPrefWidth(560);
        confirmation.getStyleClass().add("confirmation");
        getDialogPane().getButtonTypes().addAll(TAKE, ButtonType.CANCEL);
        Runnable update = () -> {
            SnapshotRequest request = request(mode, disk, store);
            confirmation.setText(request.confirmation(vms));
            getDialogPane().lookupButton(TAKE).setDisable(request.storeProblem() != null);
        };
        mode.valueProperty().addListener((o, a, b) -> update.run());
        disk.valueProperty().addListener((o, a, b) -> update.run());
        store.textProperty().addListener((o, a, b) -> update.run());
        update.run();

        getDialogPane().setContent(new VBox(14, options, confirmation));
        setResultConverter(b -> b == TAKE ? request(mode, disk, store) : null);
    }

    private static SnapshotRequest request(ChoiceBox<ClusterMode> mode, ChoiceBox<DiskMode> disk, TextField store) {
        return new SnapshotRequest(mode.getValue(), disk.getValue(), store.getText());
    }

    private static <T> StringConverter<T> names(java.util.function.Function<T, String> name) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : name.apply(t);
            }

            @Override
            public T fromString(String s) {
                throw new UnsupportedOperationException("choice boxes are not edited");
            }
        };
    }
}
