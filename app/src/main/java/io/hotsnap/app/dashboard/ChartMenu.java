package io.hotsnap.app.dashboard;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.stage.FileChooser;
import javax.imageio.ImageIO;

/**
 * A chart's right-click menu: zoom out, and save the chart as a PNG image (as large as it is
 * shown). The image is drawn on the FX thread, where the chart's data changes, and encoded off it.
 */
final class ChartMenu {

    private ChartMenu() {
    }

    static void install(ChartImage image, ChartZoom zoom, String fileName) {
        MenuItem showAll = new MenuItem("Zoom out (show all)");
        showAll.setOnAction(e -> zoom.showAll());
        MenuItem save = new MenuItem("Save as PNG…");
        save.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Save chart");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image (*.png)", "*.png"));
            chooser.setInitialFileName(fileName + ".png");
            File file = chooser.showSaveDialog(image.getScene().getWindow());
            if (file != null) {
                savePng(image, file.toPath()).exceptionally(failure -> {
                    Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                    Platform.runLater(() -> new Alert(Alert.AlertType.ERROR, cause.getMessage()).show());
                    return null;
                });
            }
        });
        ContextMenu menu = new ContextMenu(showAll, save);
        image.setOnContextMenuRequested(e -> menu.show(image, e.getScreenX(), e.getScreenY()));
    }

    /** Writes the chart as shown now to {@code file}; completes once it is written. */
    static CompletableFuture<Path> savePng(ChartImage image, Path file) {
        BufferedImage pixels = image.getChart().createBufferedImage((int) Math.ceil(image.getWidth()), (int) Math.ceil(image.getHeight()));
        return CompletableFuture.supplyAsync(() -> {
            try (OutputStream out = Files.newOutputStream(file)) {
                ImageIO.write(pixels, "png", out);
                return file;
            } catch (IOException e) {
                String why = e instanceof AccessDeniedException ? "permission denied"
                        : e instanceof NoSuchFileException ? "no such directory" : e.getMessage();
                throw new UncheckedIOException("cannot save the chart to " + file + ": " + why, e);
            }
        });
    }
}
