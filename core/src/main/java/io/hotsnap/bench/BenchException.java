package io.hotsnap.bench;

/** The benchmark cannot go on (its VM is gone or paused, runs keep failing); one line for the administrator. */
public class BenchException extends RuntimeException {

    public BenchException(String message) {
        super(message);
    }
}
