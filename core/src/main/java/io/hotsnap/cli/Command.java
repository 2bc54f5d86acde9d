package io.hotsnap.cli;

import java.util.List;

/** One headless subcommand of {@code hotsnap}. */
public interface Command {

    String name();

    /** One line for the usage text. */
    String summary();

    /** @return the exit code; bad input is thrown as a {@link CliException}. */
    int run(List<String> words, ResultPrinter printer);
}
