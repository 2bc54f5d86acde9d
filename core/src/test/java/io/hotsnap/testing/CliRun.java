package io.hotsnap.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotsnap.cli.HotsnapCli;
import io.hotsnap.cli.ResultPrinter;
import io.hotsnap.coordinator.AgentConnector;
import io.hotsnap.settings.Timeouts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One {@code hotsnap} command run in this JVM with this host's agent only: its exit code, standard output and error. */
public record CliRun(int code, String out, String err) {

    public static CliRun of(String... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HotsnapCli cli = new HotsnapCli(new ResultPrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), AgentConnector.localOnly(Timeouts.defaults()));
        int code = cli.run(List.of(words));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Standard output read as the JSON a {@code --json} command prints. */
    public JsonNode json() throws java.io.IOException {
        return new ObjectMapper().readTree(out);
    }
}
