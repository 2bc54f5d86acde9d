package io.hotsnap.app;

import io.hotsnap.app.engine.ConsoleEngine;
import io.hotsnap.lab.Lab;
import io.hotsnap.settings.Timeouts;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HotSnap Console main window.
 *
 * <p>System property {@value #SCREENSHOT_PROPERTY}{@code =FILE}: after the window's first layout
 * pass, save a PNG snapshot of the scene to {@code FILE} and exit (status 0; status 1 if the file
 * cannot be written). For documentation and visual checks on a machine without a display, e.g.
 * {@code xvfb-run -a -s "-screen 0 1280x1024x24" java -Dhotsnap.screenshot=/tmp/console.png -jar
 * app/target/hotsnap-console.jar}.
 */
public final class HotsnapConsole extends Application {

    static final String TITLE = "HotSnap Console";
    static final double WIDTH = 1280;
    static final double HEIGHT = 800;

    /** Save a screenshot to this file after the first layout, then exit. */
    public static final String SCREENSHOT_PROPERTY = "hotsnap.screenshot";

    private static final Logger LOG = LoggerFactory.getLogger(HotsnapConsole.class);

    private final ConsoleSettings settings;
    private final MainViewModel viewModel;

    /** The administrator's console (used by {@code Application.launch}). */
    public HotsnapConsole() {
        this(ConsoleSettings.standard());
    }

    public HotsnapConsole(ConsoleSettings settings) {
        this.settings = settings;
        this.viewModel = new MainViewModel(new ConsoleEngine(settings.connector(), new Lab(settings.lab(), Timeouts.defaults())),
                settings.hosts(), Platform::runLater);
    }

    @Override
    public void start(Stage stage) {
        Image icon = new Image(resource("hotsnap.png").toExternalForm());
        MainView view = new MainView(viewModel, icon);
        Scene scene = new Scene(view.getRoot(), WIDTH, HEIGHT);
        scene.getStylesheets().add(resource("hotsnap.css").toExternalForm());
        view.installAccelerators(scene);

        stage.setTitle(TITLE);
        stage.getIcons().add(icon);
        stage.setScene(scene);

        String screenshot = System.getProperty(SCREENSHOT_PROPERTY);
        if (screenshot != null && !screenshot.isBlank()) {
            scene.addPostLayoutPulseListener(new ScreenshotAfterFirstLayout(scene, Path.of(screenshot)));
        }
        stage.show();
        if (settings.connectAtStart()) {
            viewModel.connectConfigured();
        }
    }

    /** Closing the window cancels a running cut (every agent aborts) and closes the hosts' agents. */
    @Override
    public void stop() {
        viewModel.close();
    }

    MainViewModel viewModel() {
        return viewModel;
    }

    /** Resources come from {@code assets/ui}, packaged next to this class (see app/pom.xml). */
    private static URL resource(String name) {
        URL url = HotsnapConsole.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing UI resource io/hotsnap/app/" + name
                    + " (assets/ui/" + name + " not packaged?)");
        }
        return url;
    }

    /** Runs once: unregisters itself, then snapshots outside the pulse and exits. */
    private static final class ScreenshotAfterFirstLayout implements Runnable {
        private final Scene scene;
        private final Path file;

        ScreenshotAfterFirstLayout(Scene scene, Path file) {
            this.scene = scene;
            this.file = file;
        }

        @Override
        public void run() {
            scene.removePostLayoutPulseListener(this);
            Platform.runLater(this::saveAndExit);
        }

        private void saveAndExit() {
            try {
                ScreenshotWriter.write(scene, file);
                LOG.info("Screenshot written to {}", file.toAbsolutePath());
                Platform.exit();
            } catch (IOException | RuntimeException e) {
                LOG.error("Cannot write screenshot to {}", file.toAbsolutePath(), e);
                System.exit(1);
            }
        }
    }
}
