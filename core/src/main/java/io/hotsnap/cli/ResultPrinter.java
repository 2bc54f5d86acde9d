package io.hotsnap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The one place that writes results to stdout: JSON for scripts ({@code --json}), plain text for
 * people. Everything else in the engine logs to stderr.
 */
public final class ResultPrinter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintStream out;
    private final PrintStream err;

    public ResultPrinter(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static ResultPrinter standard() {
        return new ResultPrinter(System.out, System.err);
    }

    public void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    /** Where picocli prints what was asked for ({@code --help}, {@code --version}): stdout, as a result. */
    PrintWriter textWriter() {
        return new PrintWriter(out, true);
    }

    /** Where picocli prints usage that goes with an error: stderr. */
    PrintWriter noteWriter() {
        return new PrintWriter(err, true);
    }

    public void text(String line) {
        out.println(line);
    }

    /** Progress and notes for people; on stderr so that {@code --json} output stays parseable. */
    public void note(String line) {
        err.println(line);
    }

    public void error(String line) {
        err.println("hotsnap: " + line);
    }
}
