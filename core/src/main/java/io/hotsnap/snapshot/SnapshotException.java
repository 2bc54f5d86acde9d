package io.hotsnap.snapshot;

/**
 * A snapshot or restore could not be done; the message is one line for the administrator. By the
 * time it is thrown the VM runs again and every partial file is gone.
 */
public class SnapshotException extends RuntimeException {

    public enum Kind {
        /** Refused before anything was touched (eligibility, unknown VM, bad snapshot). */
        REFUSED,
        /** Started, then failed and was rolled back. */
        FAILED
    }

    private final Kind kind;

    public SnapshotException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SnapshotException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static SnapshotException refused(String message) {
        return new SnapshotException(Kind.REFUSED, message);
    }
}
