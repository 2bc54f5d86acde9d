package io.hotsnap.app.dashboard;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.IndexedCell;

/**
 * Applies the CSS that a pulse's layout left pending when virtual flows (the event log, the VM
 * table) made new cells, within that same pulse. A new cell gets its own style while the flow lays
 * out, but its parents up to the scene's root stay CSS-dirty; the next pulse then changes no pixel,
 * yet with nothing dirty to paint but the root, Prism repaints the whole window: 60-70 ms for the
 * software renderer here, a stretch the pulse after it waits through. Applying the root's CSS costs
 * the FX thread a few ms, so only after a layout that made cells. FX thread only.
 */
final class PendingCss {

    private final List<Node> flows;
    private final Runnable afterLayout = this::afterLayout;
    private int cells;

    private PendingCss(Node... flows) {
        this.flows = List.of(flows);
        Node first = this.flows.get(0);
        first.sceneProperty().addListener((obs, old, now) -> follow(old, now));
        follow(null, first.getScene());
    }

    /**
     * Watches {@code flows} from now on, whatever scene they move to.
     *
     * @param flows the virtual-flow controls (of one scene)
     */
    static void watch(Node... flows) {
        new PendingCss(flows);
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
        int now = flows.stream().mapToInt(PendingCss::cells).sum();
        if (now > cells) {
            // The root, not a flow: only a clean root spares the next pulse.
            flows.get(0).getScene().getRoot().applyCss();
        }
        cells = now;
    }

    /** The cells under {@code node}, those kept for reuse included (a walk: far cheaper than a CSS lookup every pulse). */
    private static int cells(Node node) {
        int count = node instanceof IndexedCell ? 1 : 0;
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                count += cells(child);
            }
        }
        return count;
    }
}
