package io.hotsnap.net;

/** A VM's inbound traffic cannot be held; the message says why and what to do instead. */
public class HoldException extends RuntimeException {
    public HoldException(String message) {
        super(message);
    }
}
