package io.hotsnap.ssh;

import java.time.Duration;

/**
 * Every wait of the SSH transport, in one place (STYLE §4), stretched like the engine's by the
 * system property {@code hotsnap.timeoutScale}.
 *
 * @param connect      TCP connect plus key exchange and authentication, when the config has no ConnectTimeout
 * @param command      one short remote command (probe, checksum)
 * @param upload       copying the agent jar by SFTP
 * @param agentExit    how long a closed agent gets to finish its cleanup before the session is cut
 */
public record SshTimeouts(Duration connect, Duration command, Duration upload, Duration agentExit) {

    public static SshTimeouts defaults() {
        double scale = scale();
        return new SshTimeouts(scaled(10, scale), scaled(30, scale), scaled(120, scale), scaled(10, scale));
    }

    private static Duration scaled(long seconds, double scale) {
        return Duration.ofMillis((long) (seconds * 1000 * scale));
    }

    private static double scale() {
        try {
            double v = Double.parseDouble(System.getProperty("hotsnap.timeoutScale", "1"));
            return v > 0 ? v : 1.0;
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }
}
