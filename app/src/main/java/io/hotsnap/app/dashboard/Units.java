package io.hotsnap.app.dashboard;

/**
 * How the dashboard writes sizes, rates and durations; "—" where a value is not known. Built by
 * hand rather than with {@code String.format}, which costs microseconds a call: the log formats
 * every event on the FX thread.
 */
final class Units {

    static final String UNKNOWN = "—";
    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Units() {
    }

    static String bytes(double bytes) {
        if (Double.isNaN(bytes) || bytes < 0) {
            return UNKNOWN;
        }
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return (unit == 0 ? fixed(value, 0) : fixed(value, 1)) + " " + BYTE_UNITS[unit];
    }

    static String rate(double bytesPerSecond) {
        return bytesPerSecond > 0 ? bytes(bytesPerSecond) + "/s" : UNKNOWN;
    }

    static String ms(double ms) {
        return Double.isNaN(ms) ? UNKNOWN : fixed(ms, 2);
    }

    static String eta(double seconds) {
        if (Double.isNaN(seconds)) {
            return UNKNOWN;
        }
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s / 60 + " min " + (s % 60 < 10 ? "0" : "") + s % 60 + " s";
    }

    /** {@code value} rounded to {@code decimals} places (0..6), e.g. fixed(-1.5, 3) is "-1.500". */
    static String fixed(double value, int decimals) {
        long scale = (long) Math.pow(10, decimals);
        long scaled = Math.round(Math.abs(value) * scale);
        StringBuilder sb = new StringBuilder(24);
        if (value < 0 && scaled != 0) {
            sb.append('-');
        }
        sb.append(scaled / scale);
        if (decimals > 0) {
            String fraction = Long.toString(scaled % scale);
            sb.append('.').append("0".repeat(decimals - fraction.length())).append(fraction);
        }
        return sb.toString();
    }
}
