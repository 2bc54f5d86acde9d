package io.hotsnap.cli;

/** Ends a command with a one-line reason on stderr and a meaningful exit code. */
public class CliException extends RuntimeException {

    /** Exit codes, stable for scripts and tests. */
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** The request conflicts with what exists (a lab already up, none up, unknown VM …). */
    public static final int CONFLICT = 3;
    /** Something this host must provide is missing (QEMU, a kernel, root for the lab network …). */
    public static final int MISSING = 4;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
