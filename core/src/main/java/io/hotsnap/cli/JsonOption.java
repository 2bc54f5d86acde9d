package io.hotsnap.cli;

import picocli.CommandLine.Option;

/** {@code --json}, the same on every command: results as JSON on stdout, and an error as a JSON object too. */
public final class JsonOption {

    static final String NAME = "--json";

    @Option(names = NAME, description = "print the result as JSON on stdout (an error too: {\"error\": …, \"exitCode\": N})")
    boolean json;

    public boolean json() {
        return json;
    }
}
