package io.hotsnap.app.dashboard;

import javafx.scene.Node;
import javafx.scene.Scene;

/**
 * Applies, on request, the CSS that a pulse's layout left pending, within that same pulse. The
 * virtual flows (event log, VM table) give new and reused cells their CSS state while laying out;
 * JavaFX then keeps the scene's root CSS-dirty, and the next pulse, which changes no pixel, has
 * nothing dirty to paint but the root, so Prism repaints the whole window: 60-70 ms for the
 * software renderer here, a stretch the pulse after it waits through. FX thread only.
 */
final class PendingCss {

    private final Node node;
    private final Runnable afterLayout = this::afterLayout;
    private boolean requested;

    /** @param node any node of the view: the listener follows it from scene to scene */
    PendingCss(Node node) {
        this.node = node;
        node.sceneProperty().addListener((obs, old, now) -> follow(old, now));
        follow(null, node.getScene());
    }

    /** After the next pulse's layout, applies the CSS it left pending. */
    void request() {
        requested = true;
    }

    private void follow(Scene old, Scene now) {
        if (old != null) {
            old.removePostLayoutPulseListener(afterLayout);
        }
        if (now != null) {
            now.addPostLayoutPulseListener(afterLayout);
        }
    }

    private void afterLayout() {
        if (requested && node.getScene() != null) {
            requested = false;
            // The root, not the view: only a clean root spares the next pulse.
            node.getScene().getRoot().applyCss();
        }
    }
}
