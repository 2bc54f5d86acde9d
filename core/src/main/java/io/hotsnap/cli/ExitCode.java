package io.hotsnap.cli;

import io.hotsnap.lab.LabException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Exit codes of every {@code hotsnap} command: stable for scripts and tests, listed in the help's footer. */
public enum ExitCode {
    OK(0, "success"),
    FAILED(1, "failed: a host unreachable, a snapshot abandoned, a measured run failed"),
    USAGE(2, "bad command line: an unknown command or option, a bad value"),
    /** The request conflicts with what exists (a lab already up, none up, unknown VM …). */
    CONFLICT(3, "conflict with what exists: a lab up (or none), an unknown VM or snapshot"),
    /** Something this host must provide is missing (QEMU, a kernel, root for the lab network …). */
    MISSING(4, "missing on this host: QEMU, a guest kernel, root for the lab network");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    static ExitCode of(LabException.Kind kind) {
        return switch (kind) {
            case CONFLICT -> CONFLICT;
            case MISSING -> MISSING;
            case FAILED -> FAILED;
        };
    }

    /** The help's footer: one line per code, each under 80 columns. */
    static String table() {
        return Arrays.stream(values()).map(c -> String.format("  %d  %s", c.code, c.meaning)).collect(Collectors.joining("%n"));
    }
}
