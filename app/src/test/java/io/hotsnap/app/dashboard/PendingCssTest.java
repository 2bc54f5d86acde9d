package io.hotsnap.app.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.scene.control.IndexedCell;
import javafx.scene.layout.Background;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/**
 * CSS that a pulse's layout leaves pending is applied within that pulse when the layout made cells
 * (as a virtual flow does when it first fills), so no further pulse (a full repaint in the software
 * renderer) is needed; other layouts cost nothing extra.
 */
class PendingCssTest {

    private static final PseudoClass LIT = PseudoClass.getPseudoClass("lit");
    private static final String CSS = ".probe { -fx-background-color: white; } .probe:lit { -fx-background-color: red; }";

    /** A pane that, like a virtual flow, changes a child's CSS state while laying out, and may make a cell. */
    private static final class LightingPane extends Pane {
        final Region probe = new Region();
        boolean lightOnLayout;
        boolean makeCell;

        LightingPane() {
            probe.getStyleClass().add("probe");
            getChildren().add(probe);
        }

        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            if (lightOnLayout) {
                probe.pseudoClassStateChanged(LIT, true);
                if (makeCell) {
                    makeCell = false;
                    getChildren().add(new IndexedCell<String>());
                }
            }
        }
    }

    private LightingPane pane;
    /** The probe's fill at the end of the layout of the pulse that lit it; FX thread only. */
    private Paint fillAfterLayout;
    private boolean watching;

    @BeforeAll
    static void fx() throws Exception {
        Fx.start();
    }

    @BeforeEach
    void show() throws Exception {
        Fx.call(() -> {
            pane = new LightingPane();
            Scene scene = new Scene(pane, 200, 100);
            scene.getStylesheets().add("data:text/css;base64," + Base64.getEncoder().encodeToString(CSS.getBytes(StandardCharsets.UTF_8)));
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            PendingCss.watch(pane);
            // Registered after the PendingCss listener: sees the pulse as the renderer will.
            scene.addPostLayoutPulseListener(() -> {
                if (watching && fillAfterLayout == null) {
                    Background background = pane.probe.getBackground();
                    fillAfterLayout = background == null ? null : background.getFills().get(0).getFill();
                }
            });
            return null;
        });
        Fx.waitUntil("the probe is styled", () -> pane.probe.getBackground() != null);
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
    }

    private Paint fillAfterTheLayoutThatLightsTheProbe(boolean makeCell) throws Exception {
        Fx.call(() -> {
            pane.makeCell = makeCell;
            pane.lightOnLayout = true;
            watching = true;
            pane.requestLayout();
            return null;
        });
        Fx.waitUntil("a pulse lays the pane out", () -> fillAfterLayout != null);
        return Fx.call(() -> fillAfterLayout);
    }

    @Test
    void theCssLeftByALayoutThatMadeACellIsAppliedInThatPulse() throws Exception {
        assertEquals(Color.RED, fillAfterTheLayoutThatLightsTheProbe(true));
    }

    @Test
    void theCssLeftByALayoutThatMadeNoCellWaitsForTheNextPulse() throws Exception {
        assertEquals(Color.WHITE, fillAfterTheLayoutThatLightsTheProbe(false));
    }
}
