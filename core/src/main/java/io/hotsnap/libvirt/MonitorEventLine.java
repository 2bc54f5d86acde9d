package io.hotsnap.libvirt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code virsh qemu-monitor-event --domain DOM --loop}, back into the QMP event QEMU
 * sent: {@code event STOP at 1795690111.054560 for domain 'web1': <null>}. Without
 * {@code --timestamp} virsh prints QEMU's own stamp to the microsecond (with it, virsh's
 * reformatting keeps only milliseconds), so downtime measured through libvirt is QEMU's.
 */
final class MonitorEventLine {

    private static final Pattern HEAD = Pattern.compile("^event (\\S+) at (\\d+)\\.(\\d{1,6}) for domain '");

    private MonitorEventLine() {
    }

    /** The QMP event message, or empty for a line that is not an event of {@code domain}. */
    static Optional<ObjectNode> parse(String line, String domain, ObjectMapper mapper) {
        Matcher m = HEAD.matcher(line);
        String tail = "for domain '" + domain + "': ";
        int at = line.indexOf(tail);
        if (!m.find() || at < 0) {
            return Optional.empty();
        }
        ObjectNode event = mapper.createObjectNode().put("event", m.group(1));
        String details = line.substring(at + tail.length()).strip();
        if (!details.equals("<null>")) {
            try {
                JsonNode data = mapper.readTree(details);
                event.set("data", data);
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
        }
        // The fraction is printed zero-padded to six digits; pad anyway in case it is not.
        String micros = (m.group(3) + "000000").substring(0, 6);
        event.putObject("timestamp").put("seconds", Long.parseLong(m.group(2))).put("microseconds", Long.parseLong(micros));
        return Optional.of(event);
    }
}
