package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotsnap.cli.ResultPrinter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalOptionsTest {

    @Test
    void sshConfigBeforeTheCommandIsTakenOffIt() {
        GlobalOptions o = GlobalOptions.parse(List.of("--ssh-config", "/tmp/cfg", "snapshot", "--hosts", "kvm1", "--all"));
        assertEquals(Path.of("/tmp/cfg"), o.sshConfig());
        assertEquals(List.of("snapshot", "--hosts", "kvm1", "--all"), o.command());
        assertEquals(Path.of("/tmp/cfg"), GlobalOptions.parse(List.of("--ssh-config=/tmp/cfg", "vms")).sshConfig());
    }

    @Test
    void withoutItTheCommandIsUntouched() {
        GlobalOptions o = GlobalOptions.parse(List.of("lab", "up"));
        assertNull(o.sshConfig());
        assertEquals(List.of("lab", "up"), o.command());
    }

    @Test
    void sshConfigWithoutFileIsAUsageError() {
        assertThrows(IllegalArgumentException.class, () -> GlobalOptions.parse(List.of("--ssh-config")));
    }

    @Test
    void missingSshConfigFileIsOneLineAndExitCodeTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ResultPrinter printer = new ResultPrinter(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = Main.run(List.of("--ssh-config", "/nonexistent/hotsnap-ssh-config", "vms"), printer);
        assertEquals(2, code);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("hotsnap: ") && text.contains("/nonexistent/hotsnap-ssh-config") && text.strip().lines().count() == 1, text);
    }
}
