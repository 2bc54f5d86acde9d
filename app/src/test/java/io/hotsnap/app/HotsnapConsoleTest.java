package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.testfx.api.FxAssert.verifyThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.testfx.matcher.base.NodeMatchers.isEnabled;
import static org.testfx.matcher.base.NodeMatchers.isVisible;
import static org.testfx.matcher.control.LabeledMatchers.hasText;

import io.hotsnap.lab.LabConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.input.KeyCode;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens the real console (its {@code Application} lifecycle) on headless Monocle. */
class HotsnapConsoleTest extends ConsoleRobot {


    @TempDir
    Path config;

    /** Nothing remembered, nothing connected: the first-run window, without touching this host's VMs. */
    @BeforeEach
    void openFirstRunConsole() throws Exception {
        openConsole(config, LabConfig.defaults().withDir(config.resolve("lab")), false);
    }

    @Test
    void windowIsTitledHotSnapConsole() {
        assertEquals("HotSnap Console", stage.getTitle());
        assertTrue(stage.isShowing(), "console stage is showing");
    }

    @Test
    void withoutVmsTheTreeOffersToStartTheLocalLab() {
        verifyThat("#hostTreePlaceholder", isVisible());
        verifyThat("#hostTreePlaceholder .label", hasText("No VMs yet — start the local lab"));
        verifyThat("#placeholderStartLab", isEnabled());
        verifyThat("#hostTree", isVisible());
    }

    @Test
    void snapshotWithNothingTickedSaysWhatToDoAndStartsNothing() {
        clickOn("#snapshotButton");

        verifyThat(".dialog-pane .content", hasText("Tick the VMs to snapshot in the tree first."));
        assertFalse(console.viewModel().snapshotRunningProperty().get());
        clickOn("OK");
    }

    @Test
    void ctrlSOpensTheSameCheckAsTheSnapshotButton() {
        press(KeyCode.CONTROL, KeyCode.S).release(KeyCode.S, KeyCode.CONTROL);

        verifyThat(".dialog-pane .content", hasText("Tick the VMs to snapshot in the tree first."));
        clickOn("OK");
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
