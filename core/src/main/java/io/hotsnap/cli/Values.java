package io.hotsnap.cli;

import java.util.List;

/** Checks of option values that picocli's types do not express, with the messages scripts already know. */
public final class Values {

    private Values() {
    }

    public static int between(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new CliException(ExitCode.USAGE, option + " must be between " + min + " and " + max);
        }
        return value;
    }

    /** A comma-split list ({@code --vms a, b}) without blanks. */
    static List<String> names(List<String> raw) {
        return raw.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
