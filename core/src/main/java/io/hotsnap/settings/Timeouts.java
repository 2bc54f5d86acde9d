package io.hotsnap.settings;

import java.time.Duration;

/**
 * Every blocking wait in the engine takes its bound from here, so one place decides them and tests
 * can stretch them all at once (system property {@code hotsnap.timeoutScale}, e.g. 3 on a busy CI
 * machine whose guests run under TCG).
 */
public record Timeouts(
        Duration qmpConnect,
        Duration qmpCommand,
        Duration pausedDeadline,
        Duration guestBoot,
        Duration vmQuitGrace) {

    public static Timeouts defaults() {
        return new Timeouts(
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofMillis(500),
                Duration.ofSeconds(90),
                Duration.ofSeconds(5))
                .scaled(scaleFromSystem());
    }

    /**
     * Every wait multiplied by {@code factor}, except the paused-VM deadline: that one is a safety
     * promise to the guest, not a patience setting.
     */
    public Timeouts scaled(double factor) {
        if (factor == 1.0) {
            return this;
        }
        return new Timeouts(
                scale(qmpConnect, factor),
                scale(qmpCommand, factor),
                pausedDeadline,
                scale(guestBoot, factor),
                scale(vmQuitGrace, factor));
    }

    static Duration scale(Duration d, double factor) {
        return Duration.ofNanos((long) (d.toNanos() * factor));
    }

    static double scaleFromSystem() {
        String raw = System.getProperty("hotsnap.timeoutScale", "1");
        try {
            double v = Double.parseDouble(raw);
            return v > 0 ? v : 1.0;
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }
}
