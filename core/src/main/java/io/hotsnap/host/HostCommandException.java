package io.hotsnap.host;

/** A host tool could not run or failed; the message is one line fit for the administrator. */
public class HostCommandException extends RuntimeException {
    public HostCommandException(String message) {
        super(message);
    }
}
