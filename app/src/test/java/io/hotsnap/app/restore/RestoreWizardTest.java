package io.hotsnap.app.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.app.catalog.CatalogRow;
import io.hotsnap.app.engine.ConsoleEngine;
import io.hotsnap.app.dashboard.FxThread;
import java.util.Map;
import java.util.Optional;
import javafx.collections.FXCollections;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The wizard's dialog without a host: pages turn with Back/Next, every button stays inside the
 * window on every page, a preflight that cannot reach the VM's host keeps Next disabled with the
 * reason, and Cancel closes it.
 */
class RestoreWizardTest extends FxRobot {

    private final ConsoleEngine engine = new ConsoleEngine(null, null);
    private RestoreWizardViewModel model;
    private RestoreWizard wizard;

    @BeforeEach
    void open() throws Exception {
        FxToolkit.registerPrimaryStage();
        CatalogRow row = RestoreWizardViewModelTest.row(Map.of("web", "kvm1", "db", "kvm1"));
        FxThread.call(() -> {
            model = new RestoreWizardViewModel(engine, FXCollections.observableArrayList(row), host -> Optional.empty(), Runnable::run);
            model.snapshotProperty().set(row);
            wizard = new RestoreWizard(model);
            wizard.getDialogPane().getStylesheets().add(RestoreWizardTest.class.getResource("/io/hotsnap/app/hotsnap.css").toExternalForm());
            wizard.show();
            return null;
        });
    }

    @AfterEach
    void close() throws Exception {
        FxThread.call(() -> {
            wizard.close();
            return null;
        });
        FxToolkit.cleanupStages();
        engine.close();
    }

    @Test
    void pagesTurnWithEveryButtonInsideTheWindowAndAnUnreachableHostBlocksNext() throws Exception {
        assertButtonsInside("snapshot page");
        clickOn("#" + RestoreWizard.NEXT_ID);
        assertEquals(RestoreWizardViewModel.Step.VMS, model.stepProperty().get());
        clickOn("#" + RestoreWizard.CLONE_ID + "db");
        assertTrue(lookup(".loses-state").queryAll().stream().anyMatch(Node::isVisible), "in place is marked as losing state");
        assertButtonsInside("VMs page");
        clickOn("#" + RestoreWizard.NEXT_ID);

        assertEquals(RestoreWizardViewModel.Step.PREFLIGHT, model.stepProperty().get());
        assertEquals("Preflight could not be completed: kvm1 is not connected",
                lookup("#" + RestoreWizard.PREFLIGHT_SUMMARY_ID).queryLabeled().getText());
        assertTrue(lookup("#" + RestoreWizard.NEXT_ID).queryButton().isDisabled());
        assertButtonsInside("preflight page");
        clickOn("#" + RestoreWizard.BACK_ID);
        assertEquals(RestoreWizardViewModel.Step.VMS, model.stepProperty().get());

        clickOn("#" + RestoreWizard.CANCEL_ID);
        assertFalse(FxThread.call(wizard::isShowing), "Cancel closes the wizard");
        assertEquals(RestoreWizardViewModel.Outcome.NONE, model.restoreProperty().get(), "nothing was started");
    }

    private void assertButtonsInside(String page) throws Exception {
        for (String id : new String[] {RestoreWizard.BACK_ID, RestoreWizard.NEXT_ID, RestoreWizard.CANCEL_ID}) {
            Button b = lookup("#" + id).queryButton();
            boolean inside = FxThread.call(() -> {
                Bounds onScreen = b.localToScreen(b.getBoundsInLocal());
                Window w = b.getScene().getWindow();
                return onScreen.getMinX() >= w.getX() && onScreen.getMaxX() <= w.getX() + w.getWidth() + 0.5
                        && onScreen.getMaxY() <= w.getY() + w.getHeight() + 0.5;
            });
            assertTrue(inside, page + ": " + id + " is outside the window");
        }
    }
}
