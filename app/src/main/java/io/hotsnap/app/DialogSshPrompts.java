package io.hotsnap.app;

import io.hotsnap.ssh.NewHostKey;
import io.hotsnap.ssh.SshPrompts;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.PasswordField;

/**
 * The console's {@link SshPrompts}: a dialog on the JavaFX thread, waited for by the connecting
 * thread (hosts are opened off the FX thread). The default button refuses a host key: accepting
 * one is a deliberate click. Nothing entered is kept.
 */
final class DialogSshPrompts implements SshPrompts {

    @Override
    public Optional<Boolean> trustNewHostKey(NewHostKey key) {
        return onFxThread(() -> {
            ButtonType accept = new ButtonType("Trust this key");
            Alert alert = new Alert(Alert.AlertType.WARNING, key.question(), accept, ButtonType.CANCEL);
            alert.setTitle("Unknown host key");
            alert.setHeaderText("First connection to " + key.host());
            return Optional.of(alert.showAndWait().filter(accept::equals).isPresent());
        });
    }

    @Override
    public Optional<char[]> passphrase(String keyName) {
        return onFxThread(() -> {
            PasswordField field = new PasswordField();
            Dialog<ButtonType> dialog = new Dialog<>();
            dialog.setTitle("Key passphrase");
            dialog.setHeaderText("Passphrase for " + keyName);
            dialog.getDialogPane().setContent(field);
            dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
            Optional<char[]> answer = dialog.showAndWait().filter(ButtonType.OK::equals).map(b -> field.getText().toCharArray());
            field.clear();
            return answer;
        });
    }

    private static <T> Optional<T> onFxThread(Supplier<Optional<T>> ask) {
        if (Platform.isFxApplicationThread()) {
            return ask.get();
        }
        CompletableFuture<Optional<T>> answer = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                answer.complete(ask.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }
}
