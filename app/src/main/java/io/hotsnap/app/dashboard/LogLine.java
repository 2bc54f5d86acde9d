package io.hotsnap.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotsnap.protocol.ClusterEvent;

/**
 * A line of the dashboard's log: an event (time on the shared axis, where, what, and its gist, in
 * fixed columns for a monospaced font) or a note. An event's text is made when first asked for, by
 * a visible cell or the filter: a burst of thousands of events costs no formatting up front.
 * FX thread only.
 */
public final class LogLine {

    /** Longer details (an odd agent's data) are cut: the log is for scanning, the record keeps all. */
    private static final int MAX_DETAIL = 160;
    private static final int TIME_WIDTH = 11;
    private static final int WHERE_WIDTH = 18;
    private static final int KIND_WIDTH = 9;

    private final ClusterEvent event;
    private final long originMicros;
    private String text;

    private LogLine(ClusterEvent event, long originMicros, String text) {
        this.event = event;
        this.originMicros = originMicros;
        this.text = text;
    }

    static LogLine of(ClusterEvent event, long originMicros) {
        return new LogLine(event, originMicros, null);
    }

    static LogLine note(String text) {
        return new LogLine(null, 0, text);
    }

    public String text() {
        if (text == null) {
            text = format(event, originMicros);
        }
        return text;
    }

    /** The text: what a list cell shows. */
    @Override
    public String toString() {
        return text();
    }

    private static String format(ClusterEvent e, long originMicros) {
        double ms = (e.atMicros() - originMicros) / 1000.0;
        String time = (ms >= 0 ? "+" : "") + Units.fixed(ms, 3);
        StringBuilder line = new StringBuilder(96);
        line.append(" ".repeat(Math.max(0, TIME_WIDTH - time.length()))).append(time).append(" ms  ");
        column(line, e.vm() == null ? e.host() : VmTrack.name(e.host(), e.vm()), WHERE_WIDTH);
        column(line, e.kind().name(), KIND_WIDTH);
        return line.append(detail(e)).toString().stripTrailing();
    }

    private static void column(StringBuilder line, String text, int width) {
        line.append(text).append(" ".repeat(Math.max(1, width + 1 - text.length())));
    }

    private static String detail(ClusterEvent e) {
        JsonNode data = e.data();
        if (data == null || data.isNull() || data.isMissingNode() || data.isEmpty() && data.isContainerNode()) {
            return "";
        }
        String text = switch (e.kind()) {
            case PROGRESS -> data.has("phase") ? data.path("phase").asText()
                    : Units.bytes(data.path("memoryDone").asDouble()) + " of " + Units.bytes(data.path("memoryTotal").asDouble())
                    + " at " + Units.rate(data.path("bytesPerSecond").asDouble());
            case DONE -> "part complete: memory " + Units.bytes(data.path("part").path("memory").path("bytes").asDouble(Double.NaN));
            case ERROR -> data.path("message").asText(data.toString());
            case COMMITTED -> "manifest committed: " + data.path("id").asText("?") + " after " + Units.ms(data.path("commitMs").asDouble(Double.NaN))
                    + " ms";
            case HOLD_OFF -> data.path("reason").asText(data.toString());
            default -> data.isTextual() ? data.asText() : data.toString();
        };
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL - 1) + "…";
    }
}
