package io.hotsnap.app.dashboard;

import java.awt.Color;

/**
 * The charts' colours, from the Okabe-Ito palette so that colour-blind eyes tell hold, pause and
 * copy apart (the stylesheet uses the same hex values).
 */
final class Palette {

    static final Color HOLD = new Color(0x56B4E9);
    static final Color PAUSE = new Color(0xD55E00);
    static final Color COPY = new Color(0x009E73);
    static final Color STOP = Color.BLACK;
    static final Color RESUME = new Color(0x0072B2);
    static final Color STALL = new Color(0xE69F00);
    static final Color RETRANSMIT = new Color(0xCC79A7);
    /** The VMs' pauses behind the TCP flows: the same hue as a pause, faint. */
    static final Color PAUSE_WINDOW = new Color(0xD5, 0x5E, 0x00, 0x30);
    static final Color GRID = new Color(0xD0D7E1);
    static final Color TEXT = new Color(0x333A44);

    private Palette() {
    }
}
