package io.hotsnap.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    @Test
    void pathsWithQuotesAndSpacesStayOneWord() throws Exception {
        String odd = "/home/o'brien/my dir/$HOME/agent.jar";
        assertEquals(odd + "\n", Exec.check("sh", "-c", "printf '%s\\n' " + ShellQuote.quote(odd)));
    }
}
