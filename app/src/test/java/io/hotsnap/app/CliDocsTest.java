package io.hotsnap.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's completion script and man page cover the console jar's commands and options, not the hidden ones. */
class CliDocsTest {

    @Test
    void completionAndManPageNameEveryVisibleCommandAndNoHiddenOne(@TempDir Path share) throws Exception {
        CliDocs.main(new String[] {share.toString()});

        String completion = Files.readString(share.resolve("bash-completion/completions/hotsnap"));
        assertTrue(completion.contains("--ssh-config") && completion.contains("--count") && completion.contains("snapshot"), "completion");
        assertTrue(completion.contains("complete -F _complete_hotsnap"), "completion registers itself");
        String man = Files.readString(share.resolve("man/man1/hotsnap.1"));
        assertTrue(man.startsWith(".TH HOTSNAP 1 "), man.lines().findFirst().orElse(""));
        for (String command : new String[] {"lab up", "snapshot", "restore", "report", "bench"}) {
            assertTrue(man.contains(".SS \\&hotsnap " + command + "\n"), command);
        }
        assertTrue(man.contains("Exit codes:"), "exit codes");
        for (String hidden : new String[] {"agent", "bench\\-ui"}) {
            assertFalse(completion.contains(hidden.replace("\\", "")) || man.contains(".SS \\&hotsnap " + hidden), hidden);
        }
    }
}
