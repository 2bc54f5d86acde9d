package io.hotsnap.app;

import io.hotsnap.app.engine.HostList;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * Asks for a host as OpenSSH would take it. Keys, users and ports may come from the SSH config; the
 * host key is checked against known_hosts, and a new one is shown with its fingerprint for a
 * deliberate "trust" when the console first connects (see {@link DialogSshPrompts}).
 */
final class AddHostDialog extends Dialog<HostList.Host> {

    static final String HOST_FIELD_ID = "addHostField";
    static final String KEY_FIELD_ID = "addHostKey";
    static final ButtonType CONNECT = new ButtonType("Connect", ButtonBar.ButtonData.OK_DONE);

    AddHostDialog() {
        setTitle("Add host");
        setHeaderText("Connect a KVM host over SSH");
        TextField host = new TextField();
        host.setId(HOST_FIELD_ID);
        host.setPromptText("alias from ~/.ssh/config, or user@host:port");
        host.setPrefColumnCount(30);
        TextField key = new TextField();
        key.setId(KEY_FIELD_ID);
        key.setPromptText("private key file (empty: ssh-agent, then ~/.ssh/config's keys)");
        Button browse = new Button("Choose key…");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Private key for this host");
            Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
            if (Files.isDirectory(ssh)) {
                chooser.setInitialDirectory(ssh.toFile());
            }
            java.io.File chosen = chooser.showOpenDialog(getDialogPane().getScene().getWindow());
            if (chosen != null) {
                key.setText(chosen.getPath());
            }
        });
        HBox.setHgrow(key, Priority.ALWAYS);
        Label help = new Label("A chosen key is offered alone; an encrypted one asks for its passphrase, which is never "
                + "stored. A host key not in known_hosts is shown with its SHA-256 fingerprint before anything is sent.");
        help.setWrapText(true);
        help.setPrefWidth(460);
        help.getStyleClass().add("help");
        getDialogPane().setContent(new VBox(10, host, new HBox(8, key, browse), help));
        getDialogPane().getButtonTypes().addAll(CONNECT, ButtonType.CANCEL);
        getDialogPane().lookupButton(CONNECT).disableProperty().bind(host.textProperty().isEmpty());
        setResultConverter(b -> b == CONNECT
                ? new HostList.Host(host.getText().strip(), key.getText().isBlank() ? null : Path.of(key.getText().strip()))
                : null);
    }
}
