package io.hotsnap.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A truncated capture is named in the JSON the agents send and report.json keeps; older reports still read. */
class TcpReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void truncatedCapturesSurviveTheJsonAndWholeOnesAddNothing() throws Exception {
        TcpReport cut = new TcpReport(List.of(), 0, null).withTruncated(List.of("kvm1/vm1"));
        assertEquals(cut, JSON.readValue(JSON.writeValueAsString(cut), TcpReport.class));
        assertFalse(JSON.writeValueAsString(new TcpReport(List.of(), 0, null)).contains("truncated"));
        assertEquals(List.of(), JSON.readValue("{\"flows\":[],\"orphanPackets\":0}", TcpReport.class).truncated());
        VmCapture capture = new VmCapture("vm1", List.of(), List.of(), true);
        assertEquals(capture, JSON.readValue(JSON.writeValueAsString(capture), VmCapture.class));
    }
}
