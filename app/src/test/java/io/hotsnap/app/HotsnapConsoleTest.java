package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.testfx.api.FxAssert.verifyThat;
import static org.testfx.matcher.base.NodeMatchers.isVisible;
import static org.testfx.matcher.control.LabeledMatchers.hasText;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** Opens the real console (its {@code Application} lifecycle) on headless Monocle. */
class HotsnapConsoleTest extends FxRobot {

    private Stage stage;
    private HotsnapConsole console;

    @BeforeEach
    void openConsole() throws Exception {
        stage = FxToolkit.registerPrimaryStage();
        console = (HotsnapConsole) FxToolkit.setupApplication(HotsnapConsole::new);
    }

    @AfterEach
    void closeConsole() throws Exception {
        FxToolkit.cleanupApplication(console);
        FxToolkit.cleanupStages();
    }

    @Test
    void windowIsTitledHotSnapConsole() {
        assertEquals("HotSnap Console", stage.getTitle());
        assertTrue(stage.isShowing(), "console stage is showing");
    }

    @Test
    void emptyHostTreeShowsTheStartTheLabPlaceholder() {
        verifyThat("#hostTreePlaceholder", hasText("No hosts yet — start the local lab"));
        verifyThat("#hostTreePlaceholder", isVisible());
        verifyThat("#hostTree", isVisible());
    }

    @Test
    void statusBarShowsTheViewModelStatusText() {
        verifyThat("#statusText", hasText(MainViewModel.INITIAL_STATUS));
    }

    @Test
    void statusBarFollowsTheViewModelWhenItsStatusChanges() {
        interact(() -> console.viewModel().setStatusText("Lab started: 2 VMs"));

        verifyThat("#statusText", hasText("Lab started: 2 VMs"));
    }

    @Test
    void screenshotWriterSavesTheSceneAsPngOfTheWindowSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shots/console.png");
        AtomicReference<Exception> failure = new AtomicReference<>();

        interact(() -> {
            try {
                ScreenshotWriter.write(stage.getScene(), file);
            } catch (Exception e) {
                failure.set(e);
            }
        });

        if (failure.get() != null) {
            throw failure.get();
        }
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals((int) stage.getScene().getWidth(), image.getWidth());
        assertEquals((int) stage.getScene().getHeight(), image.getHeight());
    }
}
