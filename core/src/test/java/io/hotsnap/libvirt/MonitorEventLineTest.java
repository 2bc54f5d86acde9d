package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MonitorEventLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEventWithoutDataKeepsQemusMicrosecondStamp() {
        ObjectNode e = MonitorEventLine.parse("event STOP at 1795690111.054560 for domain 'web1': <null>", "web1", JSON).orElseThrow();

        assertEquals("STOP", e.path("event").asText());
        assertEquals(1795690111L, e.path("timestamp").path("seconds").asLong());
        assertEquals(54560L, e.path("timestamp").path("microseconds").asLong());
        assertTrue(e.path("data").isMissingNode(), e.toString());
    }

    @Test
    void theDetailsAreTheEventsData() {
        ObjectNode e = MonitorEventLine.parse("event MIGRATION at 1795690111.000001 for domain 'a b': {\"status\":\"completed\"}",
                "a b", JSON).orElseThrow();

        assertEquals("completed", e.path("data").path("status").asText());
        assertEquals(1L, e.path("timestamp").path("microseconds").asLong());
    }

    @Test
    void anotherDomainsEventOrOtherOutputIsNoEvent() {
        assertTrue(MonitorEventLine.parse("event STOP at 1.000001 for domain 'other': <null>", "web1", JSON).isEmpty());
        assertTrue(MonitorEventLine.parse("events received: 3", "web1", JSON).isEmpty());
    }
}
