package io.hotsnap.qmp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pause's pipelined {@code stop}/{@code migrate} rests on, on a real QEMU: a command sent
 * behind one still running is read by QEMU meanwhile, not only once the first is done.
 */
@Timeout(60)
class QmpClientPipeliningTest {

    @TempDir
    Path tmp;

    @Test
    void aCommandSentBehindOneStillRunningIsReadByQemuWhileTheFirstRuns() throws Exception {
        Path fifo = tmp.resolve("dump.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try (BareQemu qemu = BareQemu.start("-trace", "enable=handle_qmp_command");
             QmpClient client = qemu.connect()) {
            // dump-guest-memory opens its file on QEMU's main thread: on a FIFO no one reads, that
            // open holds the main loop, and every in-band command behind it, until a reader comes.
            CompletableFuture<JsonNode> dump = client.execute("dump-guest-memory",
                    Map.of("paging", false, "protocol", "file:" + fifo), Duration.ofSeconds(30));
            CompletableFuture<JsonNode> status = client.execute("query-status", null, Duration.ofSeconds(30));
            try {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertTrue(
                        qemu.log().contains("\"query-status\""), "QEMU did not read the command behind the running one: " + qemu.log()));
            } finally {
                try (InputStream reader = Files.newInputStream(fifo)) {
                    reader.transferTo(OutputStream.nullOutputStream());
                }
            }
            dump.get(30, TimeUnit.SECONDS);
            assertEquals("prelaunch", status.get(30, TimeUnit.SECONDS).path("status").asText());
        }
    }
}
