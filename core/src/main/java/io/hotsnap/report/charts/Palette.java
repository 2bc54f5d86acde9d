package io.hotsnap.report.charts;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

/**
 * The charts' colours, on screen and in files, from the Okabe-Ito palette so that colour-blind
 * eyes tell hold, pause and copy apart (the console's stylesheet uses the same hex values).
 */
public final class Palette {

    public static final Color HOLD = new Color(0x56B4E9);
    public static final Color PAUSE = new Color(0xD55E00);
    public static final Color COPY = new Color(0x009E73);
    public static final Color STOP = Color.BLACK;
    public static final Color RESUME = new Color(0x0072B2);
    public static final Color STALL = new Color(0xE69F00);
    public static final Color RETRANSMIT = new Color(0xCC79A7);
    /** The VMs' pauses behind the TCP flows: the same hue as a pause, faint. */
    public static final Color PAUSE_WINDOW = new Color(0xD5, 0x5E, 0x00, 0x30);
    /** A median's maximum: a tick past its bar. */
    public static final Color MAX = new Color(0x555555);
    public static final Color GRID = new Color(0xD0D7E1);
    public static final Color TEXT = new Color(0x333A44);
    /** One line per VM in the progress chart, in the VMs' order. */
    public static final List<Color> SERIES = List.of(new Color(0x0072B2), PAUSE, COPY, RETRANSMIT, STALL, HOLD, Color.BLACK,
            new Color(0xF0E442));

    private Palette() {
    }

    public static Color series(int index) {
        return SERIES.get(index % SERIES.size());
    }

    /** {@code #RRGGBB} of the colour as it shows on white (a report's colour key). */
    public static String hex(Color c) {
        double a = c.getAlpha() / 255.0;
        return String.format(Locale.ROOT, "#%02X%02X%02X", onWhite(c.getRed(), a), onWhite(c.getGreen(), a), onWhite(c.getBlue(), a));
    }

    private static int onWhite(int channel, double alpha) {
        return (int) Math.round(channel * alpha + 255 * (1 - alpha));
    }
}
