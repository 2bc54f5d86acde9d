package io.hotsnap.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/**
 * Saves what a scene shows as a PNG file. Works with a real display, under Xvfb and under headless
 * Monocle (tests). Call on the JavaFX application thread.
 */
public final class ScreenshotWriter {

    private ScreenshotWriter() {
    }

    /**
     * Renders {@code scene} (its current size, CSS and layout applied) and writes it to
     * {@code file} as PNG, creating missing parent directories.
     *
     * @return {@code file}
     * @throws IllegalStateException if not called on the JavaFX application thread
     * @throws IOException if the file cannot be written
     */
    public static Path write(Scene scene, Path file) throws IOException {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("ScreenshotWriter.write must run on the JavaFX application thread");
        }
        WritableImage image = scene.snapshot(null);
        BufferedImage buffered = SwingFXUtils.fromFXImage(image, null);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(buffered, "png", file.toFile())) {
            throw new IOException("no PNG writer for image type " + buffered.getType());
        }
        return file;
    }
}
