package io.hotsnap.vm;

/** A VM source that exists on this host could not be asked; the message says which and why. */
public final class VmSourceException extends RuntimeException {

    public VmSourceException(String message) {
        super(message);
    }
}
