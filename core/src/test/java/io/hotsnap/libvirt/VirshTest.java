package io.hotsnap.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aCommandLineReachingColumn80ComesBackAsItsAnswerAlone(@TempDir Path dir) throws Exception {
        // libvirt's test driver needs no daemon. "virsh # domstate NAME" is 80 characters wide with
        // a 63-character name: readline once wrapped that echo with cursor moves that hid it from
        // the filter, and the answer came back with it (in CI: a qemu-monitor-command for a
        // domain named with 8 characters).
        String name = "hs-" + "w".repeat(60);
        Path xml = dir.resolve("domain.xml");
        Files.writeString(xml, "<domain type='test'><name>" + name + "</name><memory>1024</memory><os><type>hvm</type></os></domain>");
        Virsh virsh = Virsh.session("test:///default");
        virsh.run(List.of("create", xml.toString()), Duration.ofSeconds(30));
        assertEquals("running", virsh.run(List.of("domstate", name), Duration.ofSeconds(30)));
    }
}
