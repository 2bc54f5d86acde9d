package io.hotsnap.lab;

/** The lab cannot do what was asked; the message is one line for the administrator. */
public class LabException extends RuntimeException {

    public enum Kind {
        /** A lab is already up, or none is. */
        CONFLICT,
        /** Something the host must provide is missing (QEMU, a kernel, root for the network). */
        MISSING,
        /** Starting or stopping went wrong. */
        FAILED
    }

    private final Kind kind;

    public LabException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
