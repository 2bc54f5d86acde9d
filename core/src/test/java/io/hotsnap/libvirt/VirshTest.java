package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class VirshTest {

    @Test
    void plainWordsStayAndJsonIsSingleQuoted() {
        assertEquals("qemu-monitor-command web1 '{\"execute\":\"query-status\"}'",
                Virsh.commandLine(List.of("qemu-monitor-command", "web1", "{\"execute\":\"query-status\"}")));
    }

    @Test
    void aSingleQuoteInsideIsEscapedCharacterByCharacter() {
        assertEquals("\\{\\\"f\\\"\\:\\\"it\\'s\\\"\\}", Virsh.commandLine(List.of("{\"f\":\"it's\"}")));
    }
}
